import { describe, expect, it, vi } from 'vitest';
import type { AccessEvent } from '#domain/access-events.ts';
import { Forbidden, NotFound, Unauthorized } from '#domain/errors.ts';
import {
  createMfaService,
  type HeldSetup,
  type MfaProvider,
  type MfaStore,
  mfaRequired,
  otpauthUri,
} from '#domain/identity/mfa.ts';
import type { LoginOutcome } from '#domain/identity/ports.ts';
import type { Role } from '#domain/roles.ts';
import { createSessionGuard } from '#runtime/session-guard.ts';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

const tokensFor = (userId: string, roles: Role[]): LoginOutcome => ({
  kind: 'tokens',
  tokens: {
    idToken: `${userId}|${roles.join(',')}`,
    accessToken: `access-${userId}`,
    refreshToken: 'r',
    expiresIn: 3600,
  },
});

const memoryMfa = () => {
  const enrolled = new Set<string>();
  const setups = new Map<string, { held: HeldSetup; expiresAt: number }>();
  const store: MfaStore = {
    enrolled: vi.fn(async (userId: string) => enrolled.has(userId)),
    markEnrolled: async (userId) => void enrolled.add(userId),
    clearEnrolment: async (userId) => void enrolled.delete(userId),
    holdSetup: async (hash, held, expiresAt) => void setups.set(hash, { held, expiresAt }),
    heldSetup: async (hash, nowSeconds) => {
      const setup = setups.get(hash);
      return setup && setup.expiresAt > nowSeconds ? setup.held : undefined;
    },
    dropSetup: async (hash) => void setups.delete(hash),
  };
  return { enrolled, setups, store };
};

const setUp = (clock = () => NOW) => {
  const mfa = memoryMfa();
  const provider: MfaProvider = {
    associate: vi.fn(async () => 'JBSWY3DPEHPK3PXP'),
    verify: vi.fn(async (_token: string, code: string) => {
      if (code !== '123456') throw new Unauthorized('wrong code');
    }),
    answerChallenge: vi.fn(async () => tokensFor('admin-1', ['admin'])),
    reset: vi.fn(async () => undefined),
  };
  const recorded: AccessEvent[] = [];
  const sessions = { endAllSessions: vi.fn(async () => undefined) };
  const service = createMfaService({
    provider,
    store: mfa.store,
    sessions,
    accessEvents: { record: async (event: AccessEvent) => void recorded.push(event) },
    userOfIdToken: (idToken) => {
      const [id = '', roles = ''] = idToken.split('|');
      return { id, email: `${id}@example.com`, name: undefined, roles: roles.split(',') as Role[] };
    },
    emailOf: async (userId) => (userId === 'missing' ? undefined : `${userId}@example.com`),
    now: clock,
  });
  return { ...mfa, provider, recorded, sessions, service };
};

const context = (roles: Role[]) => ({ actor: { userId: 'admin-9', roles }, now: NOW, requestId: 'req-1' });

describe('MFA required per role', () => {
  it.each([
    [['admin'], true],
    [['credentialing'], true],
    [['recruiter', 'credentialing'], true],
    [['recruiter'], false],
    [['staff'], false],
    [[], false],
  ] as Array<[Role[], boolean]>)('%j → %s', (roles, required) => {
    expect(mfaRequired(roles)).toBe(required);
  });

  it('labels the otpauth URI with the issuer and the email', () => {
    expect(otpauthUri('ABC', 'a@b.test')).toBe(
      'otpauth://totp/Shiftline%3Aa%40b.test?secret=ABC&issuer=Shiftline',
    );
  });
});

describe('MFA service', () => {
  it('holds the tokens of an admin without MFA behind an MFA_SETUP session; staff get theirs', async () => {
    // Prepare
    const { service, setups } = setUp();
    // Act
    const admin = await service.gate(tokensFor('admin-1', ['admin']));
    const staff = await service.gate(tokensFor('staff-1', ['staff']));
    // Assess
    expect(admin).toEqual({ kind: 'challenge', challenge: 'MFA_SETUP', session: expect.any(String) });
    expect(JSON.stringify(admin)).not.toContain('access-admin-1');
    expect(setups.size).toBe(1);
    // The store keeps a hash of the session, never the session itself.
    expect([...setups.keys()][0]).not.toBe((admin as { session: string }).session);
    expect(staff).toEqual(tokensFor('staff-1', ['staff']));
  });

  it('enrols through the session: the held tokens after a right code, once, for that email only', async () => {
    // Prepare
    const { service, enrolled, recorded } = setUp();
    const gated = (await service.gate(tokensFor('admin-1', ['admin']))) as { session: string };
    // Act
    const setup = await service.setupWithSession(gated.session);
    const otherEmail = service.verifyWithSession('other@example.com', gated.session, '123456', 'req-2');
    const wrong = service.verifyWithSession('admin-1@example.com', gated.session, '000000', 'req-2');
    const right = await service.verifyWithSession('admin-1@example.com', gated.session, '123456', 'req-2');
    const again = service.verifyWithSession('admin-1@example.com', gated.session, '123456', 'req-2');
    // Assess
    expect(setup).toEqual({
      secretCode: 'JBSWY3DPEHPK3PXP',
      otpauthUri: otpauthUri('JBSWY3DPEHPK3PXP', 'admin-1@example.com'),
      session: gated.session,
    });
    await expect(otherEmail).rejects.toBeInstanceOf(Unauthorized);
    await expect(wrong).rejects.toBeInstanceOf(Unauthorized);
    expect(right).toEqual(tokensFor('admin-1', ['admin']));
    await expect(again).rejects.toBeInstanceOf(Unauthorized);
    expect(enrolled.has('admin-1')).toBe(true);
    expect(recorded.map((event) => [event.entityId, event.action, event.lastActor.requestId])).toEqual([
      ['admin-1', 'mfa.enrol', 'req-2'],
    ]);
  });

  it('refuses an expired MFA_SETUP session', async () => {
    // Prepare
    let now = NOW;
    const { service } = setUp(() => now);
    const gated = (await service.gate(tokensFor('admin-1', ['admin']))) as { session: string };
    // Act
    now = new Date((NOW_SECONDS + 5 * 60) * 1000);
    // Assess
    await expect(service.setupWithSession(gated.session)).rejects.toBeInstanceOf(Unauthorized);
  });

  it('marks the user enrolled when a challenge is answered (a record lost or never written)', async () => {
    // Prepare
    const { service, enrolled } = setUp();
    // Act
    await service.answerChallenge('admin-1@example.com', 'session', '123456');
    // Assess
    expect(enrolled.has('admin-1')).toBe(true);
  });

  it('resets: the provider and the record cleared, every session ended, one ledger entry', async () => {
    // Prepare
    const { service, enrolled, provider, sessions, recorded } = setUp();
    enrolled.add('cred-1');
    // Act
    await service.reset(context(['admin']), 'cred-1');
    // Assess
    expect(provider.reset).toHaveBeenCalledWith('cred-1');
    expect(enrolled.has('cred-1')).toBe(false);
    expect(sessions.endAllSessions).toHaveBeenCalledWith('cred-1', 'mfa.reset');
    expect(recorded.map((event) => [event.entityId, event.action, event.lastActor.userId])).toEqual([
      ['cred-1', 'mfa.reset', 'admin-9'],
    ]);
  });

  it('refuses a reset by a non-admin, and of an unknown user', async () => {
    // Prepare
    const { service, provider } = setUp();
    // Act
    const byRecruiter = service.reset(context(['recruiter']), 'cred-1');
    const unknown = service.reset(context(['admin']), 'missing');
    // Assess
    await expect(byRecruiter).rejects.toBeInstanceOf(Forbidden);
    await expect(unknown).rejects.toBeInstanceOf(NotFound);
    expect(provider.reset).not.toHaveBeenCalled();
  });
});

describe('session guard: MFA for the roles that require it', () => {
  const noRevocations = {
    read: async () => undefined,
    revokeSession: async () => {},
    endSessionsBefore: async () => {},
  };

  it('refuses an un-enrolled admin as a revoked session, lets staff through without a read', async () => {
    // Prepare
    const { store } = memoryMfa();
    const guard = createSessionGuard(noRevocations, 30, store);
    // Act
    const admin = guard.check('admin-1', { issuedAt: NOW_SECONDS, roles: ['admin'] }, NOW);
    const staff = guard.check('staff-1', { issuedAt: NOW_SECONDS, roles: ['staff'] }, NOW);
    // Assess
    await expect(admin).rejects.toMatchObject({ status: 401, code: 'session-revoked' });
    await expect(staff).resolves.toBeUndefined();
    expect(store.enrolled).toHaveBeenCalledTimes(1);
  });

  it('lets an admin in once enrolled, and keeps only enrolments in its cache', async () => {
    // Prepare
    const { store, enrolled } = memoryMfa();
    const guard = createSessionGuard(noRevocations, 30, store);
    const token = { issuedAt: NOW_SECONDS, roles: ['admin'] as Role[] };
    await expect(guard.check('admin-1', token, NOW)).rejects.toMatchObject({ code: 'session-revoked' });
    // Act
    enrolled.add('admin-1');
    await guard.check('admin-1', token, NOW);
    await guard.check('admin-1', token, new Date(NOW.getTime() + 29_000));
    // Assess
    expect(store.enrolled).toHaveBeenCalledTimes(2);
  });
});
