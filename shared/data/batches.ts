/**
 * Batch calls to DynamoDB: split to its per-call limits, and called again for what it leaves
 * unprocessed (it does so only when throttled, or past 16 MB a call).
 */

/** The items in consecutive slices of at most `size`. */
export const chunksOf = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );

export interface UnprocessedLimits {
  /** Calls in all, the first included, before giving up. */
  calls: number;
  /** The wait before the second call, doubling for each one after (0: no wait). */
  firstDelayMs: number;
  /** The error's message when DynamoDB still leaves requests unprocessed after the last call. */
  gaveUp: string;
}

/** Sends the requests, then what `send` answers DynamoDB left unprocessed, until nothing is left. */
export const untilProcessed = async <T>(
  requests: readonly T[],
  send: (pending: readonly T[]) => Promise<readonly T[]>,
  limits: UnprocessedLimits,
): Promise<void> => {
  let pending = requests;
  for (let call = 0; pending.length > 0; call += 1) {
    if (call === limits.calls) throw new Error(limits.gaveUp);
    if (call > 0 && limits.firstDelayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, limits.firstDelayMs * 2 ** (call - 1)));
    pending = await send(pending);
  }
};
