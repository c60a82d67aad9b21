/**
 * Webhook attempts over HTTP: one POST, 10 s for the whole exchange, no redirect followed (a
 * 3xx is the answer), and the SSRF rules applied to the address actually connected to: the
 * resolver hook refuses a name that resolves to a private or link-local address, so a DNS
 * answer that changes between a check and the connection (rebinding) cannot slip through.
 */
import { type LookupAddress, type LookupAllOptions, lookup } from 'node:dns';
import type { AttemptResult, WebhookSender } from '#domain/webhooks/ports.ts';
import { RETRY_SCHEDULE } from '#domain/webhooks/schedule.ts';
import { refusedAddress, refusedUrl, type TargetRules } from '#domain/webhooks/targets.ts';

// Taken with `process.getBuiltinModule`, not `import`: an ESM import of node:http evaluates every
// export getter, and its lazy `WebSocket`/`MessageEvent` getters load Node's fetch (undici,
// ~20 ms of a cold import) that these plain requests never use. outbound.ts uses them too.
export const { request: httpRequest } = process.getBuiltinModule('node:http');
export const { request: httpsRequest } = process.getBuiltinModule('node:https');

/** How much of an answer is read (and thrown away): receivers should answer briefly. */
const MAX_ANSWER_BYTES = 64 * 1024;

class TargetRefused extends Error {
  override name = 'TargetRefused';
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** dns.lookup that refuses every answer holding an address the rules forbid. */
export const checkedLookup =
  (rules: TargetRules) =>
  (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback) => {
    const all: LookupAllOptions = { ...(options as object), all: true };
    lookup(hostname, all, (error, addresses) => {
      if (error) return callback(error, []);
      const refusal = addresses.map((entry) => refusedAddress(entry.address, rules)).find(Boolean);
      const first = addresses[0];
      if (refusal !== undefined || !first)
        return callback(new TargetRefused(refusal ?? 'no address') as NodeJS.ErrnoException, []);
      return options.all ? callback(null, addresses) : callback(null, first.address, first.family);
    });
  };

const errorCategory = (error: unknown): string => {
  if (error instanceof TargetRefused) return 'target refused';
  if (error instanceof Error && error.name === 'AbortError') return 'timeout';
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return 'network error';
};

export const createHttpSender = (
  rules: TargetRules,
  timeoutMs: number = RETRY_SCHEDULE.attemptTimeoutMs,
): WebhookSender => ({
  post: (url, body, headers) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const refusal = refusedUrl(url, rules);
    if (refusal !== undefined)
      return Promise.resolve({ status: null, latencyMs: 0, error: 'target refused' });
    return new Promise<AttemptResult>((resolve) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        target,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Shiftline-Webhooks/1',
          },
          lookup: checkedLookup(rules) as never,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (response) => {
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) response.destroy();
          });
          response.on('close', () => resolve({ status: response.statusCode ?? null, latencyMs: elapsed() }));
          response.on('error', () => undefined);
        },
      );
      request.on('error', (error) =>
        resolve({ status: null, latencyMs: elapsed(), error: errorCategory(error) }),
      );
      request.end(body);
    });
  },
});
