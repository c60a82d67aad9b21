/**
 * TOTP MFA with real clients, codes computed from the secret as an authenticator app would:
 * the demo admin's login challenge; an invited credentialing user's enrolment at first login
 * (MFA_SETUP); an admin who logs in straight against Cognito is refused until they enrol; an
 * admin's reset of a lost device ends every session and the next login enrols again.
 */
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../scripts/demo-users.ts';
import { DEMO_PASSWORD } from '../../scripts/seed.ts';
import { api, eventually, loginAs, totpSecretOf, twin, uniqueEmail } from './support/twin.ts';

const PASSWORD = 'Correct-Horse-42!';
const REVOKED = 'urn:shiftline:problem:session-revoked';
const ADMIN_EMAIL = 'admin@shiftline.test';

/** A code that is not the current one (nor the one either side of it). */
const wrongCode = (secret: string) => {
  const near = [-30_000, 0, 30_000].map((offset) => totpCode(secret, Date.now() + offset));
  return ['000000', '111111', '222222'].find((code) => !near.includes(code)) ?? '333333';
};

const invite = async (label: string, roles: string[]) => {
  const admin = await loginAs('admin');
  const email = uniqueEmail(label);
  const invited = await api('/users', {
    method: 'POST',
    token: admin.idToken,
    body: { email, name: label, roles },
  });
  expect(invited.status, invited.text).toBe(201);
  return { id: invited.body.id as string, email };
};

/** Answers the invitation's NEW_PASSWORD_REQUIRED through the API: the service's answer. */
const choosePassword = async (email: string) => {
  const challenge = await api('/auth/login', {
    method: 'POST',
    body: { email, password: twin().confirmationCode },
  });
  return api('/auth/new-password', {
    method: 'POST',
    body: { email, session: challenge.body.session, newPassword: PASSWORD },
  });
};

/** Enrols through an MFA_SETUP session; resolves with the secret and the tokens. */
const enrolThroughSetup = async (email: string, session: string) => {
  const setup = await api('/auth/mfa/setup', { method: 'POST', body: { session } });
  expect(setup.status, setup.text).toBe(200);
  const secret: string = setup.body.secretCode;
  const verified = await api('/auth/mfa/verify', {
    method: 'POST',
    body: { email, session: setup.body.session, code: totpCode(secret) },
  });
  expect(verified.status, verified.text).toBe(200);
  return { secret, setup: setup.body, tokens: verified.body };
};

describe('TOTP MFA', () => {
  it('challenges the demo admin; a wrong code is refused, the right one gives tokens', async () => {
    // Prepare
    const secret = totpSecretOf(ADMIN_EMAIL) ?? '';
    expect(secret).not.toBe('');
    // Act
    const login = await api('/auth/login', {
      method: 'POST',
      body: { email: ADMIN_EMAIL, password: DEMO_PASSWORD },
    });
    const wrong = await api('/auth/mfa/challenge', {
      method: 'POST',
      body: { email: ADMIN_EMAIL, session: login.body.session, code: wrongCode(secret) },
    });
    const right = await api('/auth/mfa/challenge', {
      method: 'POST',
      body: { email: ADMIN_EMAIL, session: login.body.session, code: totpCode(secret) },
    });
    // Assess
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ challenge: 'SOFTWARE_TOKEN_MFA', session: expect.any(String) });
    expect(wrong.status).toBe(401);
    expect(right.status, right.text).toBe(200);
    expect(right.body.user).toMatchObject({ email: ADMIN_EMAIL, roles: ['admin'] });
    expect((await api('/me', { token: right.body.idToken })).status).toBe(200);
  });

  it('enrols an invited credentialing user at first login; the next login is challenged', async () => {
    // Prepare
    const user = await invite('mfa-cred', ['credentialing']);
    // Act
    const chosen = await choosePassword(user.email);
    const refused = await api('/auth/mfa/verify', {
      method: 'POST',
      body: { email: user.email, session: chosen.body.session, code: '000000' },
    });
    const { secret, setup, tokens } = await enrolThroughSetup(user.email, chosen.body.session);
    const next = await api('/auth/login', {
      method: 'POST',
      body: { email: user.email, password: PASSWORD },
    });
    // Assess
    expect(chosen.status, chosen.text).toBe(200);
    expect(chosen.body).toEqual({ challenge: 'MFA_SETUP', session: expect.any(String) });
    expect(chosen.body.idToken).toBeUndefined();
    expect(refused.status === 400 || refused.status === 401).toBe(true);
    expect(setup.otpauthUri).toContain(`secret=${secret}`);
    expect(tokens.user).toMatchObject({ id: user.id, roles: ['credentialing'] });
    expect((await api('/me', { token: tokens.idToken })).status).toBe(200);
    expect(next.body).toEqual({ challenge: 'SOFTWARE_TOKEN_MFA', session: expect.any(String) });
  });

  it('refuses the tokens of an admin who logged in straight against Cognito until they enrol', async () => {
    // Prepare: the invitation's challenge answered at Cognito itself, not through the service.
    const user = await invite('mfa-direct', ['admin']);
    const admin = await loginAs('admin');
    const { aud, iss } = decodeJwt(admin.idToken);
    const cognito = new CognitoIdentityProviderClient({
      endpoint: twin().urls.cognito,
      region: String(iss).split('.')[1] ?? 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const clientId = String(aud);
    const first = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, PASSWORD: twin().confirmationCode },
      }),
    );
    const direct = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: first.Session,
        ChallengeResponses: { USERNAME: user.email, NEW_PASSWORD: PASSWORD },
      }),
    );
    const idToken = direct.AuthenticationResult?.IdToken ?? '';
    const accessToken = direct.AuthenticationResult?.AccessToken ?? '';
    // Act
    const before = await api('/users', { token: idToken });
    const setup = await api('/auth/mfa/setup', { method: 'POST', token: accessToken, body: {} });
    const verify = await api('/auth/mfa/verify', {
      method: 'POST',
      token: accessToken,
      body: { code: totpCode(setup.body.secretCode) },
    });
    // Assess
    expect(before.status).toBe(401);
    expect(before.body.type).toBe(REVOKED);
    expect(setup.status, setup.text).toBe(200);
    expect(verify.status, verify.text).toBe(204);
    expect((await api('/users', { token: idToken })).status).toBe(200);
  });

  it("resets a user's MFA: every session ends, the next login enrols again, the ledger has it", async () => {
    // Prepare
    const user = await invite('mfa-lost', ['credentialing']);
    const chosen = await choosePassword(user.email);
    const { tokens } = await enrolThroughSetup(user.email, chosen.body.session);
    const admin = await loginAs('admin');
    const staff = await loginAs('staff');
    // Act
    const byStaff = await api(`/users/${user.id}/mfa/reset`, { method: 'POST', token: staff.idToken });
    const reset = await api(`/users/${user.id}/mfa/reset`, { method: 'POST', token: admin.idToken });
    const stale = await api('/me', { token: tokens.idToken });
    const next = await api('/auth/login', {
      method: 'POST',
      body: { email: user.email, password: PASSWORD },
    });
    // Assess
    expect(byStaff.status).toBe(403);
    expect(reset.status, reset.text).toBe(204);
    expect(stale.status).toBe(401);
    expect(stale.body.type).toBe(REVOKED);
    expect(next.body).toEqual({ challenge: 'MFA_SETUP', session: expect.any(String) });
    await expect
      .poll(async () => {
        const chain = await api(`/audit/User/${user.id}`, { token: admin.idToken });
        return (chain.body.items ?? []).map((entry: { action: string }) => entry.action);
      }, eventually)
      .toEqual(expect.arrayContaining(['mfa.enrol', 'mfa.reset']));
    const unknown = await api('/users/00000000-0000-4000-8000-000000000000/mfa/reset', {
      method: 'POST',
      token: admin.idToken,
    });
    expect(unknown.status).toBe(404);
  });
});
