/**
 * The twin's HTTP gateway against API Gateway's behaviour: its own 401/404/429 answers (401s
 * saying why in `www-authenticate`), CORS preflights it answers itself, claims as strings with
 * arrays bracketed, the v2 event it hands the function, and one access-log line per request.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { errors } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidToken } from '#runtime/token-verifier.ts';
import { freePort } from '../../local/free-port.ts';
import { startHttpGateway } from '../../local/http-gateway.ts';

const events: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];
const accessLog: string[] = [];
const APP_ORIGIN = 'http://app.example.org';

// What the token verifier throws for each kind of bad token.
const REFUSALS: Record<string, Error> = {
  expired: new InvalidToken('ERR_JWT_EXPIRED', {
    cause: new errors.JWTExpired('"exp" claim timestamp check failed', {}),
  }),
  forged: new InvalidToken('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', {
    cause: new errors.JWSSignatureVerificationFailed(),
  }),
  garbage: new InvalidToken('ERR_JWS_INVALID', { cause: new errors.JWSInvalid('Invalid Compact JWS') }),
  foreign: new InvalidToken('token issued to another client'),
};
let gateway: Awaited<ReturnType<typeof startHttpGateway>>;

beforeAll(async () => {
  gateway = await startHttpGateway({
    port: await freePort(),
    throttle: { rateLimit: 1, burstLimit: 30 },
    allowOrigin: (origin) => origin === APP_ORIGIN,
    accessLog: (line) => accessLog.push(line),
    verifyToken: async (token) => {
      const refusal = REFUSALS[token];
      if (refusal) throw refusal;
      if (token !== 'good') throw new Error('invalid');
      return {
        sub: 'user-1',
        'cognito:groups': ['admin', 'recruiter'],
        exp: 1_900_000_000,
        email_verified: true,
      };
    },
    // The function is not under test here: it records the event and answers 200.
    handlerFor: async () => async (event) => {
      events.push(event);
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
    },
  });
});
afterAll(() => gateway.stop());

describe('the twin HTTP gateway', () => {
  it('passes claims as API Gateway does: strings, arrays as "[a b]"', async () => {
    const response = await fetch(`${gateway.url}/users?role=staff&limit=5`, {
      headers: { authorization: 'Bearer good', 'X-Custom': 'Value' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
    const event = events.at(-1);
    expect(event?.routeKey).toBe('GET /users');
    expect(event?.requestContext.authorizer.jwt.claims).toEqual({
      sub: 'user-1',
      'cognito:groups': '[admin recruiter]',
      exp: '1900000000',
      email_verified: 'true',
    });
    expect(event?.queryStringParameters).toEqual({ role: 'staff', limit: '5' });
    expect(event?.headers['x-custom']).toBe('Value');
    expect(event?.requestContext.requestId).toBe(response.headers.get('apigw-requestid'));
  });

  it('fills path parameters from the route template', async () => {
    await fetch(`${gateway.url}/users/abc-123/disable`, {
      method: 'POST',
      headers: { authorization: 'Bearer good' },
    });
    expect(events.at(-1)?.pathParameters).toEqual({ id: 'abc-123' });
    expect(events.at(-1)?.routeKey).toBe('POST /users/{id}/disable');
  });

  it('answers a missing or bad token itself, before any function runs', async () => {
    const before = events.length;
    for (const headers of [{}, { authorization: 'Bearer bad' }, { authorization: 'Basic good' }]) {
      const response = await fetch(`${gateway.url}/me`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
    }
    expect(events.length).toBe(before);
  });

  it("says why it refused a token, in the words of API Gateway's JWT authorizer", async () => {
    // Prepare
    const expected: Record<string, string> = {
      expired: 'the token has expired',
      forged: 'the token signature is invalid',
      garbage: 'the token is malformed',
      foreign: 'the token does not have a valid audience',
    };
    for (const [token, reason] of Object.entries(expected)) {
      // Act
      const response = await fetch(`${gateway.url}/me`, { headers: { authorization: `Bearer ${token}` } });
      // Assess
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer scope="" error="invalid_token" error_description="${reason}"`,
      );
      expect(response.headers.get('apigw-requestid')).toBeTruthy();
    }
    const missing = await fetch(`${gateway.url}/me`, { headers: { authorization: 'Basic good' } });
    expect(missing.headers.get('www-authenticate')).toContain(
      'error_description="the authorization header is missing or is not a Bearer token"',
    );
  });

  it('answers a CORS preflight itself (204, no function) for an allowed origin only', async () => {
    // Prepare
    const before = events.length;
    const preflight = (origin: string) =>
      fetch(`${gateway.url}/contracts/c-1/acknowledge`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,if-match',
        },
      });
    // Act
    const allowed = await preflight(APP_ORIGIN);
    const refused = await preflight('http://elsewhere.example.org');
    // Assess
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toBe(
      'authorization,content-type,idempotency-key,if-match',
    );
    expect(allowed.headers.get('access-control-allow-methods')).toBe('*');
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(events.length).toBe(before);
  });

  it('lets an allowed origin read the responses, its own 401s included', async () => {
    const ok = await fetch(`${gateway.url}/users`, {
      headers: { authorization: 'Bearer good', origin: APP_ORIGIN },
    });
    const refused = await fetch(`${gateway.url}/users`, { headers: { origin: APP_ORIGIN } });
    const elsewhere = await fetch(`${gateway.url}/users`, {
      headers: { authorization: 'Bearer good', origin: 'http://elsewhere.example.org' },
    });
    for (const response of [ok, refused]) {
      expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(response.headers.get('access-control-expose-headers')).toBe(
        'etag,x-request-id,idempotent-replayed,location,www-authenticate',
      );
    }
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('logs one line per request: method, path, status, latency, request id', async () => {
    const response = await fetch(`${gateway.url}/nowhere?secret=1`);
    const requestId = response.headers.get('apigw-requestid');
    await expect.poll(() => accessLog.at(-1)).toMatch(new RegExp(`^GET /nowhere 404 \\d+ms ${requestId}$`));
  });

  it('lets public routes through without a token, and answers unknown routes 404', async () => {
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    const unknown = await fetch(`${gateway.url}/nowhere`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Not Found' });
  });

  it('throttles past the burst with its own 429', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => fetch(`${gateway.url}/health`).then((r) => r.status)),
    );
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    const throttled = await fetch(`${gateway.url}/health`);
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toEqual({ message: 'Too Many Requests' });
  });
});
