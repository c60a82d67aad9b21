/**
 * Identity on the twin: sign-up to logout, invitations with NEW_PASSWORD_REQUIRED, role
 * changes, the gateway's token checks, login throttling and bad input.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../scripts/seed.ts';
import { tamperedTokens } from './support/tokens.ts';
import { api, login, loginAs, type Session, twin, uniqueEmail } from './support/twin.ts';

const PASSWORD = 'Correct-Horse-42!';

describe('sign-up → confirm → login → /me → refresh → logout', () => {
  it('walks a self-signed-up staff member through their session', async () => {
    const email = uniqueEmail('signup');

    const signup = await api('/auth/signup', {
      method: 'POST',
      body: { email, password: PASSWORD, name: 'Nia Nurse' },
    });
    expect(signup.status).toBe(202);
    expect(signup.body).toEqual({ confirmed: false });

    const unconfirmed = await api('/auth/login', { method: 'POST', body: { email, password: PASSWORD } });
    expect(unconfirmed.status).toBe(403);

    const wrongCode = await api('/auth/confirm', { method: 'POST', body: { email, code: '999999' } });
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.headers.get('content-type')).toContain('application/problem+json');

    const confirm = await api('/auth/confirm', {
      method: 'POST',
      body: { email, code: twin().confirmationCode },
    });
    expect(confirm.status).toBe(204);

    const session = await login(email.toUpperCase(), PASSWORD);
    expect(session.user).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email,
      roles: ['staff'],
    });
    const userId = session.user.id;
    expect(session.refreshToken).toBeTruthy();
    const idClaims = JSON.parse(Buffer.from(session.idToken.split('.')[1] ?? '', 'base64url').toString());
    expect(idClaims).toMatchObject({ sub: userId, email, name: 'Nia Nurse', token_use: 'id' });
    expect(idClaims['cognito:groups']).toEqual(['staff']);

    const me = await api('/me', { token: session.idToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: userId, email, name: 'Nia Nurse', roles: ['staff'] });
    const meByAccessToken = await api('/me', { token: session.accessToken });
    expect(meByAccessToken.body).toMatchObject({
      id: userId,
      email,
      name: 'Nia Nurse',
      roles: ['staff'],
    });

    const refreshed = await api('/auth/refresh', {
      method: 'POST',
      body: { refreshToken: session.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({
      idToken: expect.any(String),
      accessToken: expect.any(String),
      expiresIn: expect.any(Number),
    });
    expect((await api('/me', { token: refreshed.body.idToken })).status).toBe(200);

    const logout = await api('/auth/logout', {
      method: 'POST',
      token: session.accessToken,
      body: { refreshToken: session.refreshToken },
    });
    expect(logout.status).toBe(204);
    const afterLogout = await api('/auth/refresh', {
      method: 'POST',
      body: { refreshToken: session.refreshToken },
    });
    expect(afterLogout.status).toBe(401);
  });

  it('answers a second sign-up with the same email as the first, revealing nothing', async () => {
    const email = uniqueEmail('dup');
    const body = { email, password: PASSWORD, name: 'Dee Dupe' };
    const first = await api('/auth/signup', { method: 'POST', body });
    expect(first.status).toBe(202);
    const again = await api('/auth/signup', {
      method: 'POST',
      body: { ...body, password: 'Other-Pass-42!' },
    });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    // The second sign-up changed nothing: the first password is still the account's.
    const confirm = await api('/auth/confirm', {
      method: 'POST',
      body: { email, code: twin().confirmationCode },
    });
    expect(confirm.status).toBe(204);
    expect((await api('/auth/login', { method: 'POST', body: { email, password: PASSWORD } })).status).toBe(
      200,
    );
  });

  it('refuses a weak password with a problem naming the field', async () => {
    const weak = await api('/auth/signup', {
      method: 'POST',
      body: { email: uniqueEmail('weak'), password: 'short', name: 'Wes Weak' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toEqual([expect.objectContaining({ path: 'body.password' })]);
  });
});

describe('invitations and roles', () => {
  it('lets an invited recruiter set a password, and a role change reach their next token', async () => {
    const admin = await loginAs('admin');
    const email = uniqueEmail('invite');
    const invite = await api('/users', {
      method: 'POST',
      token: admin.idToken,
      body: { email, name: 'Ivy Invited', roles: ['recruiter'] },
    });
    expect(invite.status).toBe(201);
    expect(invite.body).toMatchObject({ email, name: 'Ivy Invited', roles: ['recruiter'], enabled: true });
    const userId: string = invite.body.id;

    // The twin's identity service uses its fixed code as the temporary password (it also logs it).
    const first = await api('/auth/login', {
      method: 'POST',
      body: { email, password: twin().confirmationCode },
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ challenge: 'NEW_PASSWORD_REQUIRED', session: expect.any(String) });

    const chosen = await api('/auth/new-password', {
      method: 'POST',
      body: { email, session: first.body.session, newPassword: PASSWORD },
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.user).toMatchObject({ id: userId, roles: ['recruiter'] });
    const recruiter = chosen.body as Session;

    const listed = await api(`/users?role=recruiter&limit=100`, { token: admin.idToken });
    expect(listed.body.items.map((user: { id: string }) => user.id)).toContain(userId);

    const change = await api(`/users/${userId}/roles`, {
      method: 'PUT',
      token: admin.idToken,
      body: { roles: ['recruiter', 'credentialing'] },
    });
    expect(change.status).toBe(200);
    expect([...change.body.roles].sort()).toEqual(['credentialing', 'recruiter']);

    // A role change ends every session (issue 12): the token in hand and its refresh token are
    // refused; the next login carries the new roles.
    const stale = await api('/me', { token: recruiter.idToken });
    expect(stale.status).toBe(401);
    expect(stale.body.type).toBe('urn:shiftline:problem:session-revoked');
    const refreshed = await api('/auth/refresh', {
      method: 'POST',
      body: { refreshToken: recruiter.refreshToken },
    });
    expect(refreshed.status).toBe(401);
    const next = await login(email, PASSWORD);
    expect([...(await api('/me', { token: next.idToken })).body.roles].sort()).toEqual([
      'credentialing',
      'recruiter',
    ]);
  });

  it('pages the user list with cursors bound to the query', async () => {
    const admin = await loginAs('admin');
    const page1 = await api('/users?limit=1', { token: admin.idToken });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await api(`/users?limit=1&cursor=${page1.body.nextCursor}`, { token: admin.idToken });
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);

    const otherQuery = await api(`/users?limit=1&role=staff&cursor=${page1.body.nextCursor}`, {
      token: admin.idToken,
    });
    expect(otherQuery.status).toBe(400);
    const altered = await api(`/users?limit=1&cursor=${page1.body.nextCursor}x`, { token: admin.idToken });
    expect(altered.status).toBe(400);
  });

  it('lets recruiters invite staff only, and keeps role changes and disabling for admins', async () => {
    const recruiter = await loginAs('recruiter');
    const staffInvite = await api('/users', {
      method: 'POST',
      token: recruiter.idToken,
      body: { email: uniqueEmail('rs'), name: 'Stan Staff', roles: ['staff'] },
    });
    expect(staffInvite.status).toBe(201);
    const adminInvite = await api('/users', {
      method: 'POST',
      token: recruiter.idToken,
      body: { email: uniqueEmail('ra'), name: 'Al Admin', roles: ['admin'] },
    });
    expect(adminInvite.status).toBe(403);
    const staffUserId: string = staffInvite.body.id;
    expect((await api('/users', { token: recruiter.idToken })).status).toBe(403);
    const roles = await api(`/users/${staffUserId}/roles`, {
      method: 'PUT',
      token: recruiter.idToken,
      body: { roles: ['admin'] },
    });
    expect(roles.status).toBe(403);
  });

  it('disables a user so they can no longer log in', async () => {
    const admin = await loginAs('admin');
    const email = uniqueEmail('disable');
    await api('/auth/signup', { method: 'POST', body: { email, password: PASSWORD, name: 'Dana Gone' } });
    await api('/auth/confirm', { method: 'POST', body: { email, code: twin().confirmationCode } });
    const session = await login(email, PASSWORD);
    expect(
      (await api(`/users/${session.user.id}/disable`, { method: 'POST', token: admin.idToken })).status,
    ).toBe(204);
    expect((await api('/auth/login', { method: 'POST', body: { email, password: PASSWORD } })).status).toBe(
      401,
    );
    const unknown = await api('/users/00000000-0000-4000-8000-000000000000/disable', {
      method: 'POST',
      token: admin.idToken,
    });
    expect(unknown.status).toBe(404);
  });
});

describe('the gateway refuses bad tokens as API Gateway does', () => {
  it('answers 401 {"message":"Unauthorized"} for missing, expired, forged and foreign tokens', async () => {
    const staff = await loginAs('staff');
    const tokens = await tamperedTokens(staff.idToken);
    expect((await api('/me', { token: tokens.resigned })).status).toBe(200);
    for (const token of [
      undefined,
      'not-a-jwt',
      tokens.expired,
      tokens.forged,
      tokens.wrongIssuer,
      tokens.wrongAudience,
    ]) {
      const response = await api('/me', { token });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ message: 'Unauthorized' });
      expect(response.headers.get('apigw-requestid')).toBeTruthy();
    }
  });

  it('says why in www-authenticate, as the JWT authorizer does', async () => {
    // Prepare
    const staff = await loginAs('staff');
    const tokens = await tamperedTokens(staff.idToken);
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'the authorization header is missing or is not a Bearer token'],
      ['not-a-jwt', 'the token is malformed'],
      [tokens.expired, 'the token has expired'],
      [tokens.forged, 'the token signature is invalid'],
      [tokens.wrongIssuer, 'the token does not have a valid issuer'],
      [tokens.wrongAudience, 'the token does not have a valid audience'],
    ];
    for (const [token, reason] of cases) {
      // Act
      const response = await api('/me', { token });
      // Assess
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer scope="" error="invalid_token" error_description="${reason}"`,
      );
    }
    // A refresh token is no bearer token (Cognito's is encrypted; cognito-local's lacks claims).
    const refreshAsBearer = await api('/me', { token: staff.refreshToken });
    expect(refreshAsBearer.status).toBe(401);
    expect(refreshAsBearer.headers.get('www-authenticate')).toMatch(
      /^Bearer scope="" error="invalid_token" error_description="the token (is malformed|has an invalid \w+ claim)"$/,
    );
  });

  it('answers a revoked session itself: problem+json with x-request-id', async () => {
    // A session of its own: revoking it leaves the file's other sessions alone.
    const session = await login(DEMO_USERS[0]?.email ?? '', DEMO_PASSWORD);
    await api('/auth/logout', {
      method: 'POST',
      token: session.accessToken,
      body: { refreshToken: session.refreshToken },
    });
    const response = await api('/auth/refresh', {
      method: 'POST',
      body: { refreshToken: session.refreshToken },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 401, requestId: response.headers.get('x-request-id') });
  });

  it('answers 403 problem+json for a role that may not call the route', async () => {
    const staff = await loginAs('staff');
    const response = await api('/users', { token: staff.idToken });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 403, requestId: response.headers.get('x-request-id') });
    expect(response.body.details.allowedRoles).toContain('admin');
    expect(response.body.details.allowedRoles).not.toContain('staff');
  });
});

describe('logins', () => {
  it('answers a wrong password and an unknown email with the same 401', async () => {
    const wrong = await api('/auth/login', {
      method: 'POST',
      body: { email: 'staff@shiftline.test', password: 'Nope-nope-42!' },
    });
    const unknown = await api('/auth/login', {
      method: 'POST',
      body: { email: uniqueEmail('ghost'), password: 'Nope-nope-42!' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const { requestId: _a, ...wrongBody } = wrong.body;
    const { requestId: _b, ...unknownBody } = unknown.body;
    expect(wrongBody).toEqual(unknownBody);
  });

  it('locks an email out after five failures, unknown emails included', async () => {
    const email = uniqueEmail('throttle');
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(
        (await api('/auth/login', { method: 'POST', body: { email, password: 'Wrong-pass-42!' } })).status,
      ).toBe(401);
    }
    const locked = await api('/auth/login', { method: 'POST', body: { email, password: 'Wrong-pass-42!' } });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBeTruthy();
    // Another email is unaffected.
    expect(
      (await api('/auth/login', { method: 'POST', body: { email: uniqueEmail('free'), password: 'x' } }))
        .status,
    ).toBe(401);
  });
});

describe('bad input gets a problem, never a stack trace', () => {
  it.each([
    ['malformed JSON', '{"email": ', 400],
    ['an unknown field', JSON.stringify({ email: 'a@b.test', password: 'x', admin: true }), 400],
    ['a __proto__ key', '{"email":"a@b.test","password":"x","__proto__":{"admin":true}}', 400],
    ['a wrong type', JSON.stringify({ email: 42, password: 'x' }), 400],
    ['an oversize body', JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(300 * 1024) }), 413],
  ])('%s → %i problem+json', async (_label, body, status) => {
    const response = await api('/auth/login', { method: 'POST', body });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status, requestId: expect.any(String), type: expect.any(String) });
    expect(response.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('names each unknown field', async () => {
    const response = await api('/auth/login', {
      method: 'POST',
      body: { email: 'a@b.test', password: 'x', role: 'admin' },
    });
    expect(response.body.errors).toEqual([{ path: 'body.role', message: 'Unknown field' }]);
  });
});
