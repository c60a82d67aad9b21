import { describe, expect, it } from 'vitest';
import {
  BadRequest,
  Conflict,
  DependencyUnavailable,
  Forbidden,
  NotFound,
  PayloadTooLarge,
  PreconditionFailed,
  PreconditionRequired,
  RuleViolation,
  TooManyRequests,
  Unauthorized,
  UnsupportedMediaType,
  ValidationFailed,
} from '#domain/errors.ts';
import { ProblemSchema } from '#domain/schemas/common.ts';
import { errorResponse, problemOf } from '#runtime/problem.ts';

describe('problem responses', () => {
  it.each([
    [new BadRequest('bad'), 400, 'bad-request'],
    [new ValidationFailed([{ path: 'body.x', message: 'Unknown field' }]), 400, 'validation-failed'],
    [new Unauthorized('Wrong email or password'), 401, 'unauthorized'],
    [new Forbidden(), 403, 'forbidden'],
    [new NotFound(), 404, 'not-found'],
    [new Conflict('Contract is active', 'active'), 409, 'conflict'],
    [new PreconditionFailed(), 412, 'precondition-failed'],
    [new PayloadTooLarge('too big'), 413, 'payload-too-large'],
    [new UnsupportedMediaType(), 415, 'unsupported-media-type'],
    [new RuleViolation('missing credentials', { missing: ['BLS'] }), 422, 'rule-violation'],
    [new PreconditionRequired(), 428, 'precondition-required'],
    [new TooManyRequests(), 429, 'too-many-requests'],
  ])('exposes %o as %i with its message', (error, status, code) => {
    // Act
    const problem = problemOf(error, 'req-1');
    // Assess
    expect(problem).toMatchObject({
      status,
      type: `urn:shiftline:problem:${code}`,
      detail: error.message,
      requestId: 'req-1',
    });
    expect(ProblemSchema.strict().safeParse(problem).success).toBe(true);
  });

  it('carries errors[], currentState and details where they apply', () => {
    expect(
      problemOf(new ValidationFailed([{ path: 'query.limit', message: 'too big' }]), 'r').errors,
    ).toEqual([{ path: 'query.limit', message: 'too big' }]);
    expect(problemOf(new Conflict('x', 'offered'), 'r').currentState).toBe('offered');
    expect(problemOf(new RuleViolation('x', { missing: ['RN'] }), 'r').details).toEqual({ missing: ['RN'] });
    expect(problemOf(new NotFound(), 'r')).not.toHaveProperty('errors');
  });

  it('never exposes the message of a 5xx', () => {
    const internal = problemOf(new TypeError("Cannot read properties of undefined (reading 'pk')"), 'r');
    const unavailable = problemOf(new DependencyUnavailable('s3 bucket shiftline-docs-123 unreachable'), 'r');
    expect(internal).toMatchObject({ status: 500, type: 'urn:shiftline:problem:internal' });
    expect(JSON.stringify(internal)).not.toContain('pk');
    expect(unavailable).toMatchObject({ status: 503 });
    expect(JSON.stringify(unavailable)).not.toContain('shiftline-docs');
  });

  it('answers with problem+json, the request id and Retry-After where known', () => {
    const response = errorResponse(new TooManyRequests('slow down', 900), 'req-9');
    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'x-request-id': 'req-9',
      'retry-after': '900',
    });
  });
});
