/**
 * When a failed delivery is tried again, when it is given up, and when an endpoint that fails
 * everything is disabled. Every duration is multiplied by `timeScale` (1 in AWS; the twin
 * compresses the same schedule so a test sees a day of retries in seconds).
 */
const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

export const RETRY_SCHEDULE = {
  /** The delay after the first failed attempt; each further failure doubles it… */
  baseDelayMs: 5 * SECOND,
  /** …up to this. */
  maxDelayMs: HOUR,
  /** A delivery still failing this long after its first attempt goes to the dead-letter queue. */
  giveUpAfterMs: DAY,
  /** An endpoint whose every attempt failed for this long is disabled and the admins alerted. */
  disableAfterMs: 5 * DAY,
  /** Each attempt waits at most this long for an answer. */
  attemptTimeoutMs: 10 * SECOND,
} as const;

/**
 * The wait before the next attempt after `failedAttempts` failures: exponential, capped, with
 * "equal jitter" (half fixed, half random) so endpoints that failed together do not all retry
 * at the same instant.
 */
export const retryDelayMs = (
  failedAttempts: number,
  timeScale = 1,
  random: () => number = Math.random,
): number => {
  const exponent = Math.max(0, failedAttempts - 1);
  const ceiling = Math.min(
    RETRY_SCHEDULE.maxDelayMs,
    RETRY_SCHEDULE.baseDelayMs * 2 ** Math.min(exponent, 30),
  );
  return Math.round((ceiling / 2 + random() * (ceiling / 2)) * timeScale);
};

/** Whether a delivery first tried at `firstAttemptAt` has run out of retries at `now`. */
export const retriesExhausted = (firstAttemptAt: Date, now: Date, timeScale = 1): boolean =>
  now.getTime() - firstAttemptAt.getTime() >= RETRY_SCHEDULE.giveUpAfterMs * timeScale;

/** Whether an endpoint failing since `failingSince` is to be disabled at `now`. */
export const endpointGivenUp = (failingSince: Date, now: Date, timeScale = 1): boolean =>
  now.getTime() - failingSince.getTime() >= RETRY_SCHEDULE.disableAfterMs * timeScale;

/** An attempt succeeded when the receiver answered 2xx (a redirect is not followed: a failure). */
export const isDelivered = (status: number | null): boolean =>
  status !== null && status >= 200 && status < 300;
