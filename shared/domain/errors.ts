/**
 * Typed domain errors. Services throw these; only the HTTP runtime turns them into problem
 * responses (shared/runtime/problem.ts), so each carries the status and a stable `code` that
 * becomes the problem `type`. Messages of errors below 500 reach the caller: never put PHI in
 * them (name ids and states instead).
 */

export interface FieldError {
  /** Where the bad value is: `body.rate.amountCents`, `query.limit`, `params.id`, `header.if-match`. */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Stable, kebab-case problem code: the last segment of the problem `type`. */
  abstract readonly code: string;
  abstract readonly title: string;
}

/** 400: the request is malformed or its input fails validation. */
export class BadRequest extends DomainError {
  override name = 'BadRequest';
  readonly status = 400;
  readonly code: string = 'bad-request';
  readonly title: string = 'Bad request';
  readonly errors: readonly FieldError[];
  constructor(message: string, errors: readonly FieldError[] = []) {
    super(message);
    this.errors = errors;
  }
}

/** 400 with one entry per invalid field. */
export class ValidationFailed extends BadRequest {
  override name = 'ValidationFailed';
  override readonly code = 'validation-failed';
  override readonly title = 'Invalid input';
  constructor(errors: readonly FieldError[], message = 'The request has invalid or unknown fields') {
    super(message, errors);
  }
}

/**
 * 401: the token is genuine and unexpired, but its session was ended (logout, disable, role or
 * password change): the service checks what the JWT authorizer cannot know.
 */
export class SessionRevoked extends DomainError {
  override name = 'SessionRevoked';
  readonly status = 401;
  readonly code = 'session-revoked';
  readonly title = 'Session revoked';
  constructor(message = 'This session has ended: log in again') {
    super(message);
  }
}

/** 401: bad login credentials (a missing or invalid token is the gateway's own 401). */
export class Unauthorized extends DomainError {
  override name = 'Unauthorized';
  readonly status = 401;
  readonly code = 'unauthorized';
  readonly title = 'Unauthorized';
  constructor(message = 'Wrong email or password') {
    super(message);
  }
}

/** 403: the caller's role or relation to the resource does not allow the action. */
export class Forbidden extends DomainError {
  override name = 'Forbidden';
  readonly status = 403;
  readonly code = 'forbidden';
  readonly title = 'Forbidden';
  /** For a route a role may never call: the roles that may (`allowedRoles`). */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(message = 'You may not do this', details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.details = details;
  }
}

/** 404: absent, or hidden from this caller (indistinguishable on purpose). */
export class NotFound extends DomainError {
  override name = 'NotFound';
  readonly status = 404;
  readonly code = 'not-found';
  readonly title = 'Not found';
  constructor(message = 'Not found') {
    super(message);
  }
}

/** 409: the current state (or a duplicate) forbids the change; `currentState` tells which. */
export class Conflict extends DomainError {
  override name = 'Conflict';
  readonly status = 409;
  readonly code = 'conflict';
  readonly title = 'Conflict';
  readonly currentState: string | undefined;
  constructor(message: string, currentState?: string) {
    super(message);
    this.currentState = currentState;
  }
}

/** 412: the If-Match version is not the item's current version (or is `*` / weak). */
export class PreconditionFailed extends DomainError {
  override name = 'PreconditionFailed';
  readonly status = 412;
  readonly code = 'precondition-failed';
  readonly title = 'Precondition failed';
  constructor(message = 'The item has changed since you read it: fetch it again and retry with its ETag') {
    super(message);
  }
}

/** 413: the body is larger than the route accepts. */
export class PayloadTooLarge extends DomainError {
  override name = 'PayloadTooLarge';
  readonly status = 413;
  readonly code = 'payload-too-large';
  readonly title = 'Payload too large';
  constructor(message = 'The body is too large') {
    super(message);
  }
}

/** 415: a body that is not JSON. */
export class UnsupportedMediaType extends DomainError {
  override name = 'UnsupportedMediaType';
  readonly status = 415;
  readonly code = 'unsupported-media-type';
  readonly title = 'Unsupported media type';
  constructor(message = 'The body must be JSON (Content-Type: application/json)') {
    super(message);
  }
}

/** 422: the request is well-formed but a business rule refuses it; `details` says which. */
export class RuleViolation extends DomainError {
  override name = 'RuleViolation';
  readonly status = 422;
  readonly code: string = 'rule-violation';
  readonly title: string = 'Business rule violated';
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.details = details;
  }
}

/** 428: the route needs `If-Match` and the request has none. */
export class PreconditionRequired extends DomainError {
  override name = 'PreconditionRequired';
  readonly status = 428;
  readonly code = 'precondition-required';
  readonly title = 'Precondition required';
  constructor(message = 'This route needs If-Match with the ETag of the item you read') {
    super(message);
  }
}

/** 429: too many attempts (login throttling); `retryAfterSeconds` becomes Retry-After. */
export class TooManyRequests extends DomainError {
  override name = 'TooManyRequests';
  readonly status = 429;
  readonly code = 'too-many-requests';
  readonly title = 'Too many requests';
  readonly retryAfterSeconds: number | undefined;
  constructor(message = 'Too many attempts: retry later', retryAfterSeconds?: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** 503: a dependency (identity, storage) is unavailable. Its message is logged, never sent. */
export class DependencyUnavailable extends DomainError {
  override name = 'DependencyUnavailable';
  readonly status = 503;
  readonly code = 'dependency-unavailable';
  readonly title = 'Service unavailable';
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, { cause: options?.cause });
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** 410: what the request names is no longer kept (a sync cursor older than the change log's retention). */
export class Gone extends DomainError {
  override name = 'Gone';
  readonly status = 410;
  readonly code = 'gone';
  readonly title = 'Gone';
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
