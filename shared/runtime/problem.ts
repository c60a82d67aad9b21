/**
 * RFC 9457 problem responses, and the middy error handler that produces them. Registered first
 * in every HTTP stack, so it is the outermost middleware and the last to see an error: only it
 * turns errors into responses. Errors below 500 expose their message; 5xx bodies carry a generic
 * detail and the error is logged (the logger redacts PHI) under the request id.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { DependencyUnavailable, type DomainError, isDomainError } from '#domain/errors.ts';
import type { ProblemSchema } from '#domain/schemas/common.ts';
import { logger } from './logger.ts';

export type Problem = z.infer<typeof ProblemSchema>;
export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** Problem `type` URIs are `urn:shiftline:problem:<code>` (stable; listed in the OpenAPI description). */
export const PROBLEM_TYPE_PREFIX = 'urn:shiftline:problem:';
export const REQUEST_ID_HEADER = 'x-request-id';

const INTERNAL_DETAIL = 'An unexpected error occurred. Quote the request id when reporting it.';
const UNAVAILABLE_DETAIL = 'A service this request depends on is unavailable. Retry later.';

/** The problem body for any thrown value. Never copies internals of an unexpected error. */
export const problemOf = (error: unknown, requestId: string): Problem => {
  if (isDomainError(error) && error.status < 500) return exposed(error, requestId);
  if (error instanceof DependencyUnavailable) {
    return {
      type: typeOf('dependency-unavailable'),
      title: error.title,
      status: 503,
      detail: UNAVAILABLE_DETAIL,
      requestId,
    };
  }
  return {
    type: typeOf('internal'),
    title: 'Internal server error',
    status: 500,
    detail: INTERNAL_DETAIL,
    requestId,
  };
};

const typeOf = (code: string): string => `${PROBLEM_TYPE_PREFIX}${code}`;

const exposed = (error: DomainError, requestId: string): Problem => {
  const problem: Problem = {
    type: typeOf(error.code),
    title: error.title,
    status: error.status,
    detail: error.message,
    requestId,
  };
  if ('errors' in error && Array.isArray(error.errors) && error.errors.length > 0)
    problem.errors = [...error.errors];
  if ('currentState' in error && typeof error.currentState === 'string')
    problem.currentState = error.currentState;
  if ('details' in error && error.details !== undefined) problem.details = { ...error.details };
  return problem;
};

export const problemResponse = (problem: Problem, headers: Record<string, string> = {}): HttpResult => ({
  statusCode: problem.status,
  headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE, [REQUEST_ID_HEADER]: problem.requestId },
  body: JSON.stringify(problem),
});

const retryAfterOf = (error: unknown): Record<string, string> => {
  const seconds =
    error !== null && typeof error === 'object' && 'retryAfterSeconds' in error
      ? error.retryAfterSeconds
      : undefined;
  return typeof seconds === 'number' ? { 'retry-after': String(Math.ceil(seconds)) } : {};
};

/** The response for any error, with the 5xx case logged. */
export const errorResponse = (error: unknown, requestId: string): HttpResult => {
  const problem = problemOf(error, requestId);
  if (problem.status >= 500) logger.error('request failed', { requestId, status: problem.status, error });
  return problemResponse(problem, retryAfterOf(error));
};

/** The request id of an HTTP API event: API Gateway's (the twin makes one per request). */
export const requestIdOf = (event: unknown): string => {
  const context =
    event !== null && typeof event === 'object' && 'requestContext' in event
      ? event.requestContext
      : undefined;
  const id =
    context !== null && typeof context === 'object' && 'requestId' in context ? context.requestId : undefined;
  return typeof id === 'string' && id !== '' ? id : 'unknown';
};

/**
 * The headers every response carries. `nosniff` so a browser never runs a JSON or uploaded body as
 * script; `no-store` unless a successful response chose its own caching (the docs page and its
 * assets), so tokens, PHI and problems never sit in a shared or browser cache.
 */
const withSafetyHeaders = (response: HttpResult, requestId: string): void => {
  response.headers[REQUEST_ID_HEADER] = requestId;
  response.headers['x-content-type-options'] = 'nosniff';
  if (response.statusCode >= 400 || response.headers['cache-control'] === undefined)
    response.headers['cache-control'] = 'no-store';
};

/**
 * Outermost middleware: errors become problem responses, and every response (success or not,
 * early or not) carries `x-request-id` and the safety headers.
 */
export const problemErrorHandler = <TEvent = unknown>(): MiddlewareObj<TEvent, HttpResult> => ({
  after: (request) => {
    if (request.response) withSafetyHeaders(request.response, requestIdOf(request.event));
  },
  onError: (request) => {
    request.response = errorResponse(request.error, requestIdOf(request.event));
    withSafetyHeaders(request.response, requestIdOf(request.event));
  },
});
