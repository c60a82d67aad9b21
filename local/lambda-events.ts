import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * API Gateway hands JWT claims to the function as strings, arrays as one bracketed,
 * space-separated string (`"[admin recruiter]"`). The twin does exactly the same.
 */
export const claimsAsApiGatewayStrings = (claims: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'string'
          ? value
          : JSON.stringify(value),
    ]),
  );

/** Lower-cased header names, repeated headers joined with commas (as API Gateway v2 does). */
export const headersOf = (raw: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(raw)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(',') : value]),
  );

/** An API Gateway-style request id (it is what `apigw-requestid` and requestContext.requestId carry). */
export const gatewayRequestId = (): string => randomUUID().replaceAll('-', '').slice(0, 16).replace(/^/, 'L');
