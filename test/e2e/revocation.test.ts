/**
 * Revocation that takes effect, with real clients: logout ends one session (its socket is told
 * and closed, its tokens refused) while the user's other session goes on; disabling an admin
 * and changing roles end every session at once.
 */
import { describe, expect, it } from 'vitest';
import type { Role } from '#domain/roles.ts';
import {
  api,
  completeMfa,
  eventually,
  loginAs,
  openWs,
  twin,
  uniqueEmail,
  type WsClient,
} from './support/twin.ts';

const PASSWORD = 'Correct-Horse-42!';
const REVOKED = 'urn:shiftline:problem:session-revoked';

/** A new user of the given roles, logged in once (the invitation's challenge answered). */
const newUser = async (label: string, roles: Role[]) => {
  const admin = await loginAs('admin');
  const email = uniqueEmail(label);
  const invite = await api('/users', {
    method: 'POST',
    token: admin.idToken,
    body: { email, name: label, roles },
  });
  expect(invite.status, invite.text).toBe(201);
  const challenge = await api('/auth/login', {
    method: 'POST',
    body: { email, password: twin().confirmationCode },
  });
  const chosen = await api('/auth/new-password', {
    method: 'POST',
    body: { email, session: challenge.body.session, newPassword: PASSWORD },
  });
  // Admins and credentialing enrol TOTP MFA before they get tokens.
  const first = await completeMfa(email, chosen);
  expect(first.status, first.text).toBe(200);
  return { id: invite.body.id as string, email, session: first.body };
};

const login = async (email: string) => {
  const answer = await api('/auth/login', { method: 'POST', body: { email, password: PASSWORD } });
  const response = await completeMfa(email, answer);
  expect(response.status, response.text).toBe(200);
  return response.body;
};

/** Resolves with the milliseconds the socket took to get `session.revoked` and close. */
const revokedAndClosed = (client: WsClient, since: number) =>
  Promise.all([
    client.next((frame: { type?: string }) => frame.type === 'session.revoked', 5_000),
    new Promise<void>((resolve) => client.socket.once('close', () => resolve())),
  ]).then(([frame]) => ({ frame, elapsed: Date.now() - since }));

const refusedAsRevoked = async (token: string) => {
  const me = await api('/me', { token });
  return me.status === 401 && me.body?.type === REVOKED;
};

describe('logout ends one session', () => {
  it("closes that session's socket at once and refuses its tokens; the other session goes on", async () => {
    // Prepare
    const user = await newUser('logout', ['recruiter']);
    const other = await login(user.email);
    const socket = await openWs(user.session.idToken);
    const otherSocket = await openWs(other.idToken);
    const started = Date.now();
    const closed = revokedAndClosed(socket, started);
    // Act
    const logout = await api('/auth/logout', {
      method: 'POST',
      token: user.session.accessToken,
      body: { refreshToken: user.session.refreshToken },
    });
    // Assess
    expect(logout.status).toBe(204);
    const { frame, elapsed } = await closed;
    expect(frame).toEqual({ type: 'session.revoked', reason: 'logout' });
    expect(elapsed).toBeLessThan(2_000);
    await expect
      .poll(() => refusedAsRevoked(user.session.idToken), { ...eventually, timeout: 60_000 })
      .toBe(true);
    expect(await refusedAsRevoked(user.session.accessToken)).toBe(true);
    expect((await api('/me', { token: other.idToken })).status).toBe(200);
    otherSocket.send({ action: 'ping' });
    expect(await otherSocket.next((reply: { type?: string }) => reply.type === 'pong')).toEqual({
      type: 'pong',
    });
    await otherSocket.close();
  });
});

describe('disable and role change end every session', () => {
  it("refuses a disabled admin's token: no new user", async () => {
    // Prepare
    const rogue = await newUser('rogue-admin', ['admin']);
    const admin = await loginAs('admin');
    // Act
    const disable = await api(`/users/${rogue.id}/disable`, { method: 'POST', token: admin.idToken });
    // Assess
    expect(disable.status).toBe(204);
    const attempt = await api('/users', {
      method: 'POST',
      token: rogue.session.idToken,
      body: { email: uniqueEmail('minted'), name: 'Minted', roles: ['admin'] },
    });
    expect(attempt.status).toBe(401);
    expect(attempt.body.type).toBe(REVOKED);
    const refresh = await api('/auth/refresh', {
      method: 'POST',
      body: { refreshToken: rogue.session.refreshToken },
    });
    expect(refresh.status).toBe(401);
  });

  it('closes the socket on a role change; the next login carries the new role', async () => {
    // Prepare
    const user = await newUser('re-roled', ['recruiter']);
    const socket = await openWs(user.session.idToken);
    const admin = await loginAs('admin');
    const closed = revokedAndClosed(socket, Date.now());
    // Act
    const change = await api(`/users/${user.id}/roles`, {
      method: 'PUT',
      token: admin.idToken,
      body: { roles: ['credentialing'] },
    });
    // Assess
    expect(change.status).toBe(200);
    const { frame, elapsed } = await closed;
    expect(frame).toEqual({ type: 'session.revoked', reason: 'roles.change' });
    expect(elapsed).toBeLessThan(2_000);
    expect(await refusedAsRevoked(user.session.idToken)).toBe(true);
    const next = await login(user.email);
    expect(next.user.roles).toEqual(['credentialing']);
    expect((await api('/me', { token: next.idToken })).status).toBe(200);
  });
});
