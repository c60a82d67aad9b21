/**
 * The twin's HTTP gateway against API Gateway's behaviour: its own 401/404/429 answers, claims
 * as strings with arrays bracketed, and the v2 event it hands the function.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/free-port.ts';
import { startHttpGateway } from '../../local/http-gateway.ts';

const events: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];
let gateway: Awaited<ReturnType<typeof startHttpGateway>>;

beforeAll(async () => {
  gateway = await startHttpGateway({
    port: await freePort(),
    throttle: { rateLimit: 1, burstLimit: 30 },
    verifyToken: async (token) => {
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
