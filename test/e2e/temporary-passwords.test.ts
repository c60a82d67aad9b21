/**
 * The twin's identity service checks passwords in every state, as Cognito does: an invited
 * user's temporary password is a password, and a NEW_PASSWORD_REQUIRED session answers only for
 * the user it was issued to.
 */
import { describe, expect, it } from 'vitest';
import { api, loginAs, twin, uniqueEmail } from './support/twin.ts';

const PASSWORD = 'Correct-Horse-42!';

const invite = async (label: string) => {
  const admin = await loginAs('admin');
  const email = uniqueEmail(label);
  const invited = await api('/users', {
    method: 'POST',
    token: admin.idToken,
    body: { email, name: 'Tess Temporary', roles: ['recruiter'] },
  });
  expect(invited.status).toBe(201);
  return email;
};

describe('temporary passwords', () => {
  it('refuses a wrong temporary password, with no challenge to take the account over', async () => {
    // Prepare
    const email = await invite('temp-wrong');
    // Act
    const wrong = await api('/auth/login', { method: 'POST', body: { email, password: 'Any-Guess-123!' } });
    // Assess
    expect(wrong.status).toBe(401);
    expect(wrong.body).not.toHaveProperty('session');
  });

  it("refuses one user's challenge session for another user", async () => {
    // Prepare
    const victim = await invite('temp-victim');
    const attacker = await invite('temp-attacker');
    const challenge = await api('/auth/login', {
      method: 'POST',
      body: { email: attacker, password: twin().confirmationCode },
    });
    expect(challenge.body).toMatchObject({ challenge: 'NEW_PASSWORD_REQUIRED' });
    // Act
    const takeover = await api('/auth/new-password', {
      method: 'POST',
      body: { email: victim, session: challenge.body.session, newPassword: PASSWORD },
    });
    // Assess
    expect(takeover.status).toBe(401);
    const own = await api('/auth/new-password', {
      method: 'POST',
      body: { email: attacker, session: challenge.body.session, newPassword: PASSWORD },
    });
    expect(own.status).toBe(200);
    const again = await api('/auth/login', { method: 'POST', body: { email: attacker, password: PASSWORD } });
    expect(again.status).toBe(200);
  });
});
