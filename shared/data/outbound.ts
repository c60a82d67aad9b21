/**
 * Outbound HTTP to third parties (NPPES, the LEIE download, SAM): time-limited and never
 * following a redirect, so a source cannot stall a request or send it somewhere else. Failures
 * of the source are DependencyUnavailable (503, or an `error` check), never a 500.
 */
import { DependencyUnavailable } from '#domain/errors.ts';

export const OUTBOUND_TIMEOUT_MS = 5_000;

export const fetchText = async (
  url: URL,
  timeoutMs = OUTBOUND_TIMEOUT_MS,
  accept = 'application/json',
): Promise<string> => {
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept },
    });
  } catch (error) {
    throw new DependencyUnavailable(`${url.host} unreachable`, { cause: error });
  }
  if (!response.ok) throw new DependencyUnavailable(`${url.host} answered ${response.status}`);
  return response.text();
};
