/**
 * Request input for HTTP functions: the JSON body parser, zod validation of params/query/body
 * against the route's schemas, If-Match and Idempotency-Key headers, and ETags. Pure functions
 * (the middlewares in http.ts call them), so each is testable and fuzzable on its own.
 */
import type { APIGatewayEventRequestContextV2, APIGatewayProxyEventV2WithRequestContext } from 'aws-lambda';
import type * as z from 'zod';
import {
  BadRequest,
  type FieldError,
  PayloadTooLarge,
  PreconditionFailed,
  PreconditionRequired,
  UnsupportedMediaType,
  ValidationFailed,
} from '#domain/errors.ts';
import type { RouteDefinition } from '#shared/routes.ts';
import type { Claims } from './auth-context.ts';

/** An HTTP API (payload v2) event; `authorizer` is absent on public routes. */
export type HttpEvent = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & {
    authorizer?: { jwt?: { claims?: Claims; scopes?: string[] | null } } | null;
  }
>;

export const MAX_BODY_BYTES = 256 * 1024;

// Keys that could reach an object's prototype through naive merging downstream.
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** `application/json` or `application/<x>+json`, with utf-8 (or no) charset. */
export const isJsonContentType = (header: string | undefined): boolean => {
  if (header === undefined) return false;
  const [type = '', ...parameters] = header.split(';').map((part) => part.trim());
  if (!JSON_TYPE.test(type)) return false;
  return parameters.every((parameter) => {
    const [name = '', value = ''] = parameter.split('=').map((part) => part.trim().toLowerCase());
    return name !== 'charset' || value.replace(/"/g, '') === 'utf-8';
  });
};

class ForbiddenKey extends Error {}

/**
 * The parsed JSON body, or undefined when there is none. Headers must be normalized to lower
 * case. Throws 415 (not JSON), 413 (over 256 KB) or 400 (malformed, or a forbidden key).
 */
export const parseJsonBody = (event: Pick<HttpEvent, 'body' | 'isBase64Encoded' | 'headers'>): unknown => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  if (!isJsonContentType(event.headers['content-type'])) throw new UnsupportedMediaType();
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw new PayloadTooLarge(`The body is ${bytes.byteLength} bytes; the limit is ${MAX_BODY_BYTES}`);
  }
  try {
    return JSON.parse(bytes.toString('utf8'), (key, value) => {
      if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKey(key);
      return value;
    });
  } catch (error) {
    if (error instanceof ForbiddenKey) {
      throw new BadRequest(`The key "${error.message}" is not allowed`, [
        { path: 'body', message: 'forbidden key' },
      ]);
    }
    throw new BadRequest('The body is not valid JSON');
  }
};

type Location = 'params' | 'query' | 'body';

const pathOf = (location: Location, segments: readonly PropertyKey[]): string =>
  [location, ...segments.map(String)].join('.');

/** One FieldError per zod issue; each unknown key is its own error. */
export const fieldErrorsOf = (location: Location, issues: readonly z.core.$ZodIssue[]): FieldError[] =>
  issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf(location, [...issue.path, key]), message: 'Unknown field' }))
      : [{ path: pathOf(location, issue.path), message: issue.message }],
  );

export interface ValidatedInput {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

const isEmptyObject = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;

/**
 * Validates params, query and body against the route's schemas and collects every error.
 * A route without a query schema ignores the query string; one without a body schema accepts
 * no body but `{}`.
 */
export const validateInput = (
  route: RouteDefinition,
  raw: { params: unknown; query: unknown; body: unknown },
): ValidatedInput => {
  const errors: FieldError[] = [];
  const check = (
    location: Location,
    schema: z.ZodType | undefined,
    value: unknown,
    fallback: unknown,
  ): unknown => {
    if (schema === undefined) return fallback;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    errors.push(...fieldErrorsOf(location, result.error.issues));
    return fallback;
  };
  const params = check('params', route.request?.params, raw.params ?? {}, {});
  const query = check('query', route.request?.query, raw.query ?? {}, {});
  const bodySchema = route.request?.body;
  if (bodySchema === undefined && raw.body !== undefined && !isEmptyObject(raw.body)) {
    errors.push({ path: 'body', message: 'This route takes no body' });
  }
  const body = check('body', bodySchema, raw.body, undefined);
  if (errors.length > 0) throw new ValidationFailed(errors);
  return { params: params as Record<string, unknown>, query: query as Record<string, unknown>, body };
};

/** A strong ETag for an item version: `"3"`. */
export const etagOf = (version: number): string => `"${version}"`;

/** Response headers carrying an item's ETag. */
export const etagHeader = (version: number): Record<string, string> => ({ etag: etagOf(version) });

/** An operation's answer of one versioned item, with the item's ETag. */
export const withEtag = <T extends { version: number }>(item: T, status = 200) => ({
  status,
  headers: etagHeader(item.version),
  body: item,
});

/**
 * The version named by `If-Match`. Missing → 428; `*`, weak (`W/"3"`), several or malformed
 * tags → 412: a write must name the exact version it read.
 */
export const parseIfMatch = (header: string | undefined): number => {
  const value = header?.trim();
  if (value === undefined || value === '') throw new PreconditionRequired();
  if (value === '*')
    throw new PreconditionFailed('If-Match: * is not accepted: send the ETag of the item you read');
  if (value.startsWith('W/'))
    throw new PreconditionFailed('Weak ETags are not accepted: send the strong ETag');
  const match = /^"(\d{1,15})"$/.exec(value);
  if (match?.[1] === undefined) throw new PreconditionFailed('If-Match must be one strong ETag such as "3"');
  return Number(match[1]);
};

const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,255}$/;

/** How long an idempotency record (and so a replayable response) is kept. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** Set on a response that was replayed from an idempotency record. */
export const IDEMPOTENCY_REPLAYED_HEADER = 'idempotent-replayed';

/** The `Idempotency-Key` header (1–255 printable ASCII characters), or undefined when absent. */
export const parseIdempotencyKey = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header) || header.trim() === '') {
    throw new BadRequest('Idempotency-Key must be 1 to 255 printable ASCII characters', [
      { path: 'header.idempotency-key', message: 'invalid' },
    ]);
  }
  return header;
};
