import { describe, expect, it, vi } from 'vitest';
import {
  createSessionRevoker,
  revocationOf,
  type SessionRecord,
  type SessionStore,
} from '#domain/identity/sessions.ts';
import { createHttpHandler, type Operation } from '#runtime/http.ts';
import { createSessionGuard } from '#runtime/session-guard.ts';
import type { RouteDefinition } from '#shared/routes.ts';
import { claimsFor, httpEvent, jsonOf, lambdaContext } from './support/lambda.ts';

const NOW = 1_800_000_000;

const memoryStore = () => {
  const records = new Map<string, SessionRecord>();
  const store: SessionStore = {
    read: vi.fn(async (userId: string) => records.get(userId)),
    revokeSession: async (userId, originJti, aliveUntil) => {
      const record = records.get(userId) ?? { userId, revokedSessions: [], ttl: 0 };
      records.set(userId, {
        ...record,
        revokedSessions: [...record.revokedSessions, originJti],
        ttl: aliveUntil,
      });
    },
    endSessionsBefore: async (userId, validAfter, aliveUntil) => {
      const record = records.get(userId) ?? { userId, revokedSessions: [], ttl: 0 };
      records.set(userId, { ...record, sessionsValidAfter: validAfter, ttl: aliveUntil });
    },
  };
  return { records, store };
};

describe('revocationOf', () => {
  const record: SessionRecord = {
    userId: 'u',
    sessionsValidAfter: NOW,
    revokedSessions: ['s-1'],
    ttl: NOW + 60,
  };

  it.each([
    ['a token issued before sessionsValidAfter', { issuedAt: NOW - 1, originJti: 's-2' }, 'ended'],
    ['a token issued in the second sessionsValidAfter names', { issuedAt: NOW, originJti: 's-2' }, undefined],
    ['a token of a logged-out session', { issuedAt: NOW + 5, originJti: 's-1' }, 'ended'],
    ['a token of another session', { issuedAt: NOW + 5, originJti: 's-3' }, undefined],
  ])('judges %s', (_case, token, expected) => {
    expect(revocationOf(record, token, NOW + 1)).toBe(expected);
  });

  it('forgets a record past its ttl (DynamoDB Local never expires items)', () => {
    expect(revocationOf(record, { issuedAt: 0, originJti: 's-1' }, NOW + 60)).toBeUndefined();
  });
});

describe('session revoker', () => {
  it('ends every session from the next whole second, and answers only once it has begun', async () => {
    // Prepare
    const { records, store } = memoryStore();
    const sockets = { closeSockets: vi.fn(async () => 2) };
    const signOutEverywhere = vi.fn(async () => undefined);
    const wait = vi.fn(async () => undefined);
    const revoker = createSessionRevoker({
      store,
      sockets,
      signOutEverywhere,
      tokenLifetimeSeconds: 3600,
      clock: () => new Date(NOW * 1000 + 400),
      wait,
    });
    // Act
    await revoker.endAllSessions('u', 'disabled');
    // Assess
    expect(signOutEverywhere).toHaveBeenCalledWith('u');
    expect(records.get('u')).toMatchObject({ sessionsValidAfter: NOW + 1, ttl: NOW + 3601 });
    expect(sockets.closeSockets).toHaveBeenCalledWith('u', 'disabled', 'all');
    expect(wait).toHaveBeenCalledWith(600);
  });

  it("ends one session on logout: that session's sockets only", async () => {
    // Prepare
    const { records, store } = memoryStore();
    const sockets = { closeSockets: vi.fn(async () => 1) };
    const revoker = createSessionRevoker({
      store,
      sockets,
      signOutEverywhere: async () => undefined,
      tokenLifetimeSeconds: 3600,
    });
    // Act
    await revoker.endSession('u', { issuedAt: NOW, originJti: 's-1' });
    // Assess
    expect(records.get('u')?.revokedSessions).toEqual(['s-1']);
    expect(records.get('u')?.sessionsValidAfter).toBeUndefined();
    expect(sockets.closeSockets).toHaveBeenCalledWith('u', 'logout', { originJti: 's-1' });
  });
});

describe('session guard', () => {
  it('reads a user once per cache period, and at once after its own write', async () => {
    // Prepare
    const { store } = memoryStore();
    const guard = createSessionGuard(store, 30);
    const at = (seconds: number) => new Date((NOW + seconds) * 1000);
    await guard.check('u', { issuedAt: NOW }, at(0));
    await guard.check('u', { issuedAt: NOW }, at(29));
    expect(store.read).toHaveBeenCalledTimes(1);
    // Act
    await guard.store.endSessionsBefore('u', NOW + 31, NOW + 3600);
    // Assess
    await expect(guard.check('u', { issuedAt: NOW }, at(30))).rejects.toMatchObject({
      status: 401,
      code: 'session-revoked',
    });
    expect(store.read).toHaveBeenCalledTimes(2);
  });
});

describe('HTTP stack: revoked sessions', () => {
  const route: RouteDefinition = {
    method: 'GET',
    path: '/things',
    operationId: 'listThings',
    summary: 'List',
    tag: 'Test',
    fn: 'docs',
    access: { roles: ['admin'] },
    responses: { 200: { description: 'List' } },
  };
  const operation = vi.fn<Operation>(async () => ({ status: 200, body: { items: [], nextCursor: null } }));

  it('answers 401 session-revoked before the role check and the operation', async () => {
    // Prepare
    const { store } = memoryStore();
    await store.endSessionsBefore('staff-1', NOW, Math.floor(Date.now() / 1000) + 60);
    const guard = createSessionGuard(store, 30);
    const handler = createHttpHandler('test', [route], { listThings: operation }, { sessions: guard.check });
    const claims = { ...claimsFor(['staff'], 'staff-1'), iat: String(NOW - 1), origin_jti: 's-1' };
    // Act
    const result = await handler(httpEvent({ routeKey: 'GET /things', claims }), lambdaContext());
    // Assess
    expect(result.statusCode).toBe(401);
    expect(jsonOf(result)).toMatchObject({ type: 'urn:shiftline:problem:session-revoked', status: 401 });
    expect(result.headers['cache-control']).toBe('no-store');
    expect(operation).not.toHaveBeenCalled();
  });
});
