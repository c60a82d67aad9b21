import { describe, expect, it } from 'vitest';
import { DependencyUnavailable, Forbidden, TooManyRequests, Unauthorized } from '#domain/errors.ts';
import { createAuthService, LOGIN_THROTTLE, loginThrottleKey } from '#domain/identity/auth-service.ts';
import {
  createClock,
  createInMemoryAccessEvents,
  createInMemoryIdentity,
  createInMemoryThrottle,
} from './support/identity-fakes.ts';
import { rejectionOf } from './support/rejection.ts';

const PASSWORD = 'Correct-horse-42!';
const WRONG = 'Wrong-horse-42!';

const setup = () => {
  const clock = createClock();
  const identity = createInMemoryIdentity();
  const throttle = createInMemoryThrottle();
  const accessEvents = createInMemoryAccessEvents();
  /** Staff profile ids by user id. */
  const profileLinks = new Map<string, string>();
  const auth = createAuthService({
    identity: identity.provider,
    throttle: throttle.store,
    accessEvents: accessEvents.repository,
    profiles: { profileIdOfUser: async (userId) => profileLinks.get(userId) },
    now: clock.now,
  });
  const loginCalls = () => identity.calls.filter((call) => call === 'passwordLogin').length;
  return { clock, identity, throttle, accessEvents, profileLinks, auth, loginCalls };
};

/** The error a promise rejects with (fails the test when it resolves). */
const failLogins = async (auth: ReturnType<typeof setup>['auth'], email: string, times: number) => {
  for (let attempt = 0; attempt < times; attempt += 1) {
    await expect(auth.login(email, WRONG)).rejects.toBeInstanceOf(Unauthorized);
  }
};

describe('auth service: login', () => {
  it('returns tokens for the right password, with the user they are for', async () => {
    // Prepare
    const { identity, auth } = setup();
    const user = identity.add({ email: 'nora@example.com', name: 'Nora', password: PASSWORD });
    // Act
    const outcome = await auth.login('nora@example.com', PASSWORD);
    // Assess
    expect(outcome).toEqual({
      kind: 'tokens',
      tokens: expect.objectContaining({ idToken: expect.stringContaining(user.id), expiresIn: 3600 }),
      user: { id: user.id, email: 'nora@example.com', name: 'Nora', roles: ['staff'] },
    });
    expect(identity.calls).toEqual(['passwordLogin']);
  });

  it('takes the name from the user record when the id token carries none', async () => {
    const { identity, auth } = setup();
    identity.add({ email: 'nora@example.com', name: 'Nora From Record', password: PASSWORD });
    const read = identity.provider.userOfIdToken;
    identity.provider.userOfIdToken = (idToken) => ({ ...read(idToken), name: undefined });

    const outcome = await auth.login('nora@example.com', PASSWORD);

    expect(outcome).toMatchObject({ kind: 'tokens', user: { name: 'Nora From Record' } });
    expect(identity.calls).toEqual(['passwordLogin', 'getUser']);
  });

  it('answers a wrong password and an unknown email with the same Unauthorized', async () => {
    const { identity, auth } = setup();
    identity.add({ email: 'nora@example.com', password: PASSWORD });

    const wrongPassword = await rejectionOf(auth.login('nora@example.com', WRONG));
    const unknownEmail = await rejectionOf(auth.login('nobody@example.com', PASSWORD));

    expect(wrongPassword).toBeInstanceOf(Unauthorized);
    expect(unknownEmail).toBeInstanceOf(Unauthorized);
    const { status, message, code } = wrongPassword as Unauthorized;
    expect(unknownEmail).toMatchObject({ status, message, code });
  });

  it('locks an email after five failures: 429 with Retry-After, without asking the identity provider', async () => {
    const { identity, auth, loginCalls } = setup();
    identity.add({ email: 'nora@example.com', password: PASSWORD });
    await failLogins(auth, 'nora@example.com', LOGIN_THROTTLE.maxFailures);
    const callsBefore = loginCalls();

    const locked = await rejectionOf(auth.login('nora@example.com', PASSWORD));

    expect(locked).toBeInstanceOf(TooManyRequests);
    expect((locked as TooManyRequests).retryAfterSeconds).toBe(15 * 60);
    expect(loginCalls()).toBe(callsBefore);
  });

  it('does not lock after four failures', async () => {
    const { identity, auth } = setup();
    identity.add({ email: 'nora@example.com', password: PASSWORD });
    await failLogins(auth, 'nora@example.com', LOGIN_THROTTLE.maxFailures - 1);

    const outcome = await auth.login('nora@example.com', PASSWORD);

    expect(outcome.kind).toBe('tokens');
  });

  it('counts Retry-After down with the clock and lets the email in once the lock is over', async () => {
    const { clock, identity, auth } = setup();
    identity.add({ email: 'nora@example.com', password: PASSWORD });
    await failLogins(auth, 'nora@example.com', 5);

    clock.advanceSeconds(10 * 60 + 0.4);
    const later = await rejectionOf(auth.login('nora@example.com', PASSWORD));
    clock.advanceSeconds(5 * 60);
    const outcome = await auth.login('nora@example.com', PASSWORD);

    expect((later as TooManyRequests).retryAfterSeconds).toBe(300);
    expect(outcome.kind).toBe('tokens');
  });

  it('locks unknown emails too, so a lock says nothing about whether an account exists', async () => {
    const { auth, loginCalls } = setup();
    await failLogins(auth, 'nobody@example.com', 5);
    const callsBefore = loginCalls();

    await expect(auth.login('nobody@example.com', PASSWORD)).rejects.toBeInstanceOf(TooManyRequests);
    expect(loginCalls()).toBe(callsBefore);
  });

  it('locks one email only', async () => {
    const { identity, auth } = setup();
    identity.add({ email: 'nora@example.com', password: PASSWORD });
    identity.add({ email: 'omar@example.com', password: PASSWORD });
    await failLogins(auth, 'nora@example.com', 5);

    const other = await auth.login('omar@example.com', PASSWORD);

    expect(other.kind).toBe('tokens');
  });

  it('clears the counter on success: four more failures do not lock', async () => {
    const { identity, throttle, auth } = setup();
    identity.add({ email: 'nora@example.com', password: PASSWORD });
    await failLogins(auth, 'nora@example.com', 4);

    await auth.login('nora@example.com', PASSWORD);
    const afterSuccess = throttle.entries.has(loginThrottleKey('nora@example.com'));
    await failLogins(auth, 'nora@example.com', 4);

    expect(afterSuccess).toBe(false);
    expect((await auth.login('nora@example.com', PASSWORD)).kind).toBe('tokens');
  });

  it('counts only Unauthorized: an unconfirmed account (403) never gets locked', async () => {
    const { identity, throttle, auth } = setup();
    identity.add({ email: 'uma@example.com', password: PASSWORD, confirmed: false });

    for (let attempt = 0; attempt < 8; attempt += 1) {
      await expect(auth.login('uma@example.com', PASSWORD)).rejects.toBeInstanceOf(Forbidden);
    }

    expect(throttle.entries.size).toBe(0);
  });

  it('does not count an identity provider outage as a failed login', async () => {
    const { identity, throttle, auth } = setup();
    identity.provider.passwordLogin = async () => {
      throw new DependencyUnavailable('Cognito is throttling');
    };

    await expect(auth.login('nora@example.com', PASSWORD)).rejects.toBeInstanceOf(DependencyUnavailable);

    expect(throttle.entries.size).toBe(0);
  });

  it('keys the counter by a hash of the normalised email, never the email itself', () => {
    const key = loginThrottleKey('Nora@Example.com ');

    expect(key).toBe(loginThrottleKey('nora@example.com'));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('counts failures for an email however it is cased', async () => {
    const { auth } = setup();
    await failLogins(auth, 'Nora@Example.com', 3);
    await failLogins(auth, 'nora@example.com', 2);

    await expect(auth.login('NORA@example.com', PASSWORD)).rejects.toBeInstanceOf(TooManyRequests);
  });
});

describe('auth service: NEW_PASSWORD_REQUIRED', () => {
  it('answers an invited user with the challenge, then tokens for the new password', async () => {
    const { identity, auth } = setup();
    await identity.provider.inviteUser({ email: 'ivy@example.com', name: 'Ivy', roles: ['recruiter'] });

    const first = await auth.login('ivy@example.com', PASSWORD);
    if (first.kind !== 'challenge') throw new Error('expected the challenge');
    const chosen = await auth.completeNewPassword('ivy@example.com', first.session, 'New-password-42!');
    const again = await auth.login('ivy@example.com', 'New-password-42!');

    expect(first.challenge).toBe('NEW_PASSWORD_REQUIRED');
    expect(chosen.kind).toBe('tokens');
    expect(again.kind).toBe('tokens');
  });

  it('counts a wrong session as a failed login and refuses a locked email without asking the provider', async () => {
    const { identity, auth } = setup();
    await identity.provider.inviteUser({ email: 'ivy@example.com', name: 'Ivy', roles: ['staff'] });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await expect(
        auth.completeNewPassword('ivy@example.com', 'forged', 'New-password-42!'),
      ).rejects.toBeInstanceOf(Unauthorized);
    }
    const callsBefore = identity.calls.length;

    const locked = await rejectionOf(
      auth.completeNewPassword('ivy@example.com', 'session-ivy@example.com', 'x'),
    );

    expect(locked).toBeInstanceOf(TooManyRequests);
    expect(identity.calls.length).toBe(callsBefore);
  });

  it('clears the counter when the challenge is answered', async () => {
    const { identity, throttle, auth } = setup();
    await identity.provider.inviteUser({ email: 'ivy@example.com', name: 'Ivy', roles: ['staff'] });
    await failLogins(auth, 'ivy@example.com', 4);

    const first = await auth.login('ivy@example.com', PASSWORD);
    if (first.kind !== 'challenge') throw new Error('expected the challenge');
    await auth.completeNewPassword('ivy@example.com', first.session, 'New-password-42!');

    expect(throttle.entries.size).toBe(0);
  });
});

describe('auth service: delegation', () => {
  it('signs up and confirms through the identity provider without touching the throttle', async () => {
    const { identity, throttle, auth } = setup();

    const { userId } = (await auth.signUp(
      { email: 'sam@example.com', password: PASSWORD, name: 'Sam' },
      'req-signup',
    )) ?? { userId: '' };
    await expect(auth.login('sam@example.com', PASSWORD)).rejects.toBeInstanceOf(Forbidden);
    await auth.confirm('sam@example.com', '123456');
    const outcome = await auth.login('sam@example.com', PASSWORD);

    expect(outcome).toMatchObject({ kind: 'tokens', tokens: { idToken: expect.stringContaining(userId) } });
    expect(identity.calls).toEqual(['signUp', 'passwordLogin', 'confirmSignUp', 'passwordLogin']);
    expect(throttle.entries.size).toBe(0);
  });

  it('refreshes and revokes through the identity provider', async () => {
    const { identity, auth } = setup();
    identity.add({ email: 'nora@example.com', password: PASSWORD });
    const login = await auth.login('nora@example.com', PASSWORD);
    if (login.kind !== 'tokens') throw new Error('expected tokens');

    const refreshed = await auth.refresh(login.tokens.refreshToken);
    await auth.logout(
      { actor: { userId: 'nora-sub', roles: ['staff'] }, now: new Date(), requestId: 'req-logout' },
      login.tokens.refreshToken,
    );

    expect(refreshed).toEqual({
      idToken: expect.any(String),
      accessToken: expect.any(String),
      expiresIn: 3600,
    });
    expect(identity.calls.slice(-2)).toEqual(['refresh', 'revokeRefreshToken']);
  });

  it('passes the provider’s Unauthorized for a bad refresh token through', async () => {
    const { auth } = setup();

    await expect(auth.refresh('refresh-unknown')).rejects.toBeInstanceOf(Unauthorized);
  });
});

describe('auth service: the ledger entry of sign-up and logout', () => {
  it('records the sign-up as the new user and the logout as the caller, each with its request id', async () => {
    const { accessEvents, auth } = setup();

    const { userId } = (await auth.signUp(
      { email: 'sam@example.com', password: PASSWORD, name: 'Sam' },
      'req-1',
    )) ?? { userId: '' };
    await auth.logout(
      { actor: { userId, roles: ['staff'] }, now: new Date('2026-03-02T10:00:00.000Z'), requestId: 'req-2' },
      'refresh-token',
    );

    expect(accessEvents.events).toEqual([
      expect.objectContaining({
        entityType: 'User',
        entityId: userId,
        action: 'signup',
        lastActor: { userId, roles: [], requestId: 'req-1', action: 'signup' },
      }),
      expect.objectContaining({
        entityType: 'User',
        entityId: userId,
        action: 'logout',
        lastActor: { userId, roles: ['staff'], requestId: 'req-2', action: 'logout' },
      }),
    ]);
    expect(JSON.stringify(accessEvents.events)).not.toContain('sam@example.com');
  });
});

describe('auth service: /me', () => {
  it('answers the caller from an id token as is, with their staff profile id', async () => {
    // Prepare
    const { identity, profileLinks, auth } = setup();
    profileLinks.set('nora-sub', 'staff-1');
    // Act
    const me = await auth.me({
      userId: 'nora-sub',
      roles: ['staff'],
      email: 'nora@example.com',
      name: 'Nora',
    });
    // Assess
    expect(me).toEqual({
      id: 'nora-sub',
      email: 'nora@example.com',
      name: 'Nora',
      roles: ['staff'],
      staffProfileId: 'staff-1',
    });
    expect(identity.calls).toEqual([]);
  });

  it('fills email and name from the user record for an access token, and no profile as null', async () => {
    const { identity, auth } = setup();
    const user = identity.add({ email: 'ray@example.com', name: 'Ray', roles: ['recruiter'] });

    const me = await auth.me({ userId: user.id, roles: ['recruiter'] });

    expect(me).toEqual({
      id: user.id,
      email: 'ray@example.com',
      name: 'Ray',
      roles: ['recruiter'],
      staffProfileId: null,
    });
  });
});
