import { describe, expect, it } from 'vitest';
import { TooManyRequests, Unauthorized } from '#domain/errors.ts';
import {
  createMailLimiter,
  LOGIN_LIMITS,
  loginThrottleKey,
  MAIL_LIMITS,
  mailCounterKeys,
  type RateCounter,
} from '#domain/identity/abuse-limits.ts';
import { createAuthService } from '#domain/identity/auth-service.ts';
import { ROUTE_THROTTLES, routeThrottlesFrom } from '#shared/limits.ts';
import { ROUTES, type RouteDefinition } from '#shared/routes.ts';
import { routeBuckets } from '../../local/token-bucket.ts';
import {
  createClock,
  createInMemoryAccessEvents,
  createInMemoryIdentity,
  createInMemoryThrottle,
} from './support/identity-fakes.ts';

const PASSWORD = 'Correct-horse-42!';

const memoryCounter = () => {
  const hits = new Map<string, number>();
  const counter: RateCounter = {
    hit: async (key, windowStart) => {
      const next = (hits.get(`${key}@${windowStart}`) ?? 0) + 1;
      hits.set(`${key}@${windowStart}`, next);
      return next;
    },
  };
  return { hits, counter };
};

describe('limiter keys', () => {
  it('keys logins per email and per (email, source), hashed and case-blind', () => {
    const perEmail = loginThrottleKey('Nora@Example.com ');
    const fromOne = loginThrottleKey('nora@example.com', '203.0.113.7');
    expect(perEmail).toBe(loginThrottleKey('nora@example.com'));
    expect(fromOne).toBe(loginThrottleKey(' NORA@example.com', '203.0.113.7'));
    expect(fromOne).not.toBe(loginThrottleKey('nora@example.com', '198.51.100.9'));
    expect(fromOne).not.toBe(perEmail);
    expect(`${perEmail}${fromOne}`).not.toMatch(/nora|203\.0/);
    expect(perEmail).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keys mail per email and per source in separate scopes', () => {
    const keys = mailCounterKeys('Mia@Example.com', '203.0.113.7');
    expect(keys).toEqual(mailCounterKeys('mia@example.com', '203.0.113.7'));
    expect(keys.email).not.toBe(keys.source);
    expect(mailCounterKeys('203.0.113.7', '203.0.113.7').email).not.toBe(keys.source);
  });
});

describe('mail limiter', () => {
  const at = (seconds: number) => () => new Date(Date.UTC(2026, 2, 1, 10, 0, 0) + seconds * 1000);

  it('refuses past the per-email limit with Retry-After to the window end', async () => {
    const { counter } = memoryCounter();
    const limiter = createMailLimiter(counter, MAIL_LIMITS, at(600));
    for (let sent = 0; sent < MAIL_LIMITS.perEmail; sent += 1)
      await limiter.admit('mia@example.com', '203.0.113.7');
    const refused = await limiter.admit('mia@example.com', '203.0.113.7').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyRequests);
    expect((refused as TooManyRequests).retryAfterSeconds).toBe(3600 - 600);
    await expect(limiter.admit('other@example.com', '203.0.113.7')).resolves.toBeUndefined();
  });

  it('refuses one source past its limit, whatever the emails', async () => {
    const { counter } = memoryCounter();
    const limiter = createMailLimiter(counter, { ...MAIL_LIMITS, perSource: 3 }, at(0));
    for (const email of ['a@x.test', 'b@x.test', 'c@x.test']) await limiter.admit(email, '203.0.113.7');
    await expect(limiter.admit('d@x.test', '203.0.113.7')).rejects.toBeInstanceOf(TooManyRequests);
    await expect(limiter.admit('d@x.test', '198.51.100.9')).resolves.toBeUndefined();
  });
});

describe('login throttle per source', () => {
  const setup = () => {
    const identity = createInMemoryIdentity();
    identity.add({ email: 'nora@example.com', password: PASSWORD });
    const auth = createAuthService({
      identity: identity.provider,
      throttle: createInMemoryThrottle().store,
      accessEvents: createInMemoryAccessEvents().repository,
      profiles: { profileIdOfUser: async () => undefined },
      now: createClock().now,
    });
    return auth;
  };

  it("an attacker's failures lock their source, not the victim's", async () => {
    const auth = setup();
    for (let attempt = 0; attempt < LOGIN_LIMITS.perEmailAndSource.maxFailures; attempt += 1)
      await expect(auth.login('nora@example.com', 'Wrong-1!', '203.0.113.66')).rejects.toBeInstanceOf(
        Unauthorized,
      );
    await expect(auth.login('nora@example.com', PASSWORD, '203.0.113.66')).rejects.toBeInstanceOf(
      TooManyRequests,
    );
    expect((await auth.login('nora@example.com', PASSWORD, '198.51.100.9')).kind).toBe('tokens');
  });

  it('locks the email once the per-email limit is reached from many sources', async () => {
    const auth = setup();
    for (let attempt = 0; attempt < LOGIN_LIMITS.perEmail.maxFailures; attempt += 1)
      await expect(auth.login('nora@example.com', 'Wrong-1!', `10.0.${attempt}.1`)).rejects.toBeInstanceOf(
        Unauthorized,
      );
    await expect(auth.login('nora@example.com', PASSWORD, '198.51.100.9')).rejects.toBeInstanceOf(
      TooManyRequests,
    );
  });
});

describe('route throttles', () => {
  it('are far tighter for auth and mail routes than the stage, and one bucket per marked route', () => {
    const routes = ROUTES as readonly RouteDefinition[];
    const buckets = routeBuckets(routes, ROUTE_THROTTLES);
    expect([...buckets.keys()].sort()).toEqual(
      routes
        .filter((route) => route.throttle !== undefined)
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    );
    expect(buckets.has('POST /auth/login')).toBe(true);
    expect(buckets.has('GET /contracts')).toBe(false);
    expect(routeBuckets(routes, 'off').size).toBe(0);
    expect(routeThrottlesFrom('{"mail":{"rateLimit":1,"burstLimit":2}}')).toEqual({
      auth: ROUTE_THROTTLES.auth,
      mail: { rateLimit: 1, burstLimit: 2 },
    });
  });

  it('refuses past the burst', () => {
    const bucket = routeBuckets(ROUTES as readonly RouteDefinition[], {
      auth: { rateLimit: 0.001, burstLimit: 2 },
      mail: ROUTE_THROTTLES.mail,
    }).get('POST /auth/login');
    expect([bucket?.take(), bucket?.take(), bucket?.take()]).toEqual([true, true, false]);
  });
});
