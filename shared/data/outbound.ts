/**
 * Outbound HTTP to third parties (NPPES, the LEIE download, SAM): time-limited, never following
 * a redirect, and held to the webhooks' SSRF rules (shared/domain/webhooks/targets.ts) on the
 * address actually connected to: in AWS https only and never a private, loopback or link-local
 * address (the instance metadata service), however a configured URL or its DNS answer names
 * it; the twin (PRIMARY_SOURCE_LOCAL_TARGETS) allows http and loopback for its stubs. Failures
 * of the source, refusals included, are DependencyUnavailable (503, or an `error` check).
 */
import type { IncomingMessage } from 'node:http';
import { DependencyUnavailable } from '#domain/errors.ts';
import { refusedUrl, type TargetRules } from '#domain/webhooks/targets.ts';
import { optionalEnv } from '#runtime/config.ts';
import { checkedLookup, httpRequest, httpsRequest } from './webhook-sender.ts';

export const OUTBOUND_TIMEOUT_MS = 5_000;

/** AWS: https to public addresses only. The twin sets PRIMARY_SOURCE_LOCAL_TARGETS for its stubs. */
export const primarySourceRules = (): TargetRules => ({
  allowLocal: optionalEnv('primarySourceLocalTargets') === 'true',
});

const bodyOf = (response: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });

/** One GET; a 3xx is an answer like any other, so the caller refuses it rather than follow it. */
const get = (url: URL, timeoutMs: number, accept: string, rules: TargetRules) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'GET',
      headers: { accept },
      lookup: checkedLookup(rules) as never,
      signal: AbortSignal.timeout(timeoutMs),
    });
    request.on('response', (response) =>
      bodyOf(response).then((body) => resolve({ status: response.statusCode ?? 0, body }), reject),
    );
    request.on('error', reject);
    request.end();
  });

export const fetchText = async (
  url: URL,
  timeoutMs = OUTBOUND_TIMEOUT_MS,
  accept = 'application/json',
  rules: TargetRules = primarySourceRules(),
): Promise<string> => {
  const refusal = refusedUrl(url.toString(), rules);
  if (refusal !== undefined) throw new DependencyUnavailable(`${url.host} refused: ${refusal}`);
  let response: { status: number; body: string };
  try {
    response = await get(url, timeoutMs, accept, rules);
  } catch (error) {
    throw new DependencyUnavailable(`${url.host} unreachable`, { cause: error });
  }
  if (response.status < 200 || response.status > 299)
    throw new DependencyUnavailable(`${url.host} answered ${response.status}`);
  return response.body;
};
