/**
 * The twin's CORS, as API Gateway's HTTP API applies the stack's `corsPreflight`: preflights
 * answered by the gateway itself (204, no function invoked), allowed origins echoed on every
 * response. The origins are the stack's `allowedOrigins` context setting (cdk.json;
 * SHIFTLINE_ALLOWED_ORIGINS stands in for `-c allowedOrigins=…`), and, a twin-only convenience,
 * any `localhost`/`127.0.0.1` port unless SHIFTLINE_CORS_ANY_LOCALHOST=0.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { resolve } from 'node:path';
import { CORS, originAllowed, originsOf } from '#shared/cors.ts';

export type OriginPolicy = (origin: string) => boolean;

const LOCALHOST = /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/;

const contextOrigins = (): unknown => {
  const cdkJson = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context?.allowedOrigins;
};

export const twinOriginPolicy = (env: NodeJS.ProcessEnv = process.env): OriginPolicy => {
  const allowed = originsOf(env.SHIFTLINE_ALLOWED_ORIGINS || contextOrigins());
  const anyLocalhost = env.SHIFTLINE_CORS_ANY_LOCALHOST !== '0';
  return (origin) => originAllowed(origin, allowed) || (anyLocalhost && LOCALHOST.test(origin));
};

const originOf = (request: IncomingMessage) => request.headers.origin;

export const isPreflight = (request: IncomingMessage) =>
  request.method === 'OPTIONS' &&
  originOf(request) !== undefined &&
  request.headers['access-control-request-method'] !== undefined;

/** What a preflight gets: the allowed origin, methods and headers, or nothing when refused. */
export const preflightHeaders = (request: IncomingMessage, allows: OriginPolicy): Record<string, string> => {
  const origin = originOf(request);
  if (!origin || !allows(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    // The stack allows CorsHttpMethod.ANY.
    'access-control-allow-methods': '*',
    'access-control-allow-headers': CORS.allowHeaders.join(','),
    'access-control-max-age': String(CORS.maxAgeSeconds),
    vary: 'origin',
  };
};

/** What every other response of an allowed origin carries. */
export const responseCorsHeaders = (
  request: IncomingMessage,
  allows: OriginPolicy,
): Record<string, string> => {
  const origin = originOf(request);
  if (!origin || !allows(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': CORS.exposeHeaders.join(','),
    vary: 'origin',
  };
};
