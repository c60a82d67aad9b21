/**
 * Account recovery with real clients: forgot → the code read from the twin's mail files →
 * reset, after which the old password and the old tokens are refused; resend-code and sign-up
 * answer alike for known and unknown emails; a password change ends every session.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, eventually, type Session, twin, uniqueEmail } from './support/twin.ts';

const PASSWORD = 'Correct-Horse-42!';
const NEW_PASSWORD = 'Battery-Staple-43!';
const REVOKED = 'urn:shiftline:problem:session-revoked';

interface Mail {
  to: string;
  subject: string;
  text: string;
  code?: string;
  temporaryPassword?: string;
  at: string;
}

const mailsTo = (email: string): Mail[] => {
  const directory = join(twin().dataDir, 'mail');
  let files: string[] = [];
  try {
    files = readdirSync(directory).filter((file) => file.endsWith(`-${email}.json`));
  } catch {
    return [];
  }
  return files.sort().map((file) => JSON.parse(readFileSync(join(directory, file), 'utf8')) as Mail);
};

/** The newest mail to `email` whose subject matches, once it has arrived. */
const mailTo = async (email: string, subject: RegExp, after = 0): Promise<Mail> => {
  await expect
    .poll(() => mailsTo(email).filter((mail) => subject.test(mail.subject)).length, eventually)
    .toBeGreaterThan(after);
  return mailsTo(email)
    .filter((mail) => subject.test(mail.subject))
    .at(-1) as Mail;
};

const signedUpUser = async (label: string) => {
  const email = uniqueEmail(label);
  expect(
    (await api('/auth/signup', { method: 'POST', body: { email, password: PASSWORD, name: label } })).status,
  ).toBe(202);
  const code = (await mailTo(email, /confirmation code/)).code;
  expect((await api('/auth/confirm', { method: 'POST', body: { email, code } })).status).toBe(204);
  const login = await api<Session>('/auth/login', { method: 'POST', body: { email, password: PASSWORD } });
  expect(login.status).toBe(200);
  return { email, session: login.body };
};

describe('forgot → mail → reset', () => {
  it('resets the password with the mailed code; the old password and old tokens are refused', async () => {
    // Prepare
    const { email, session } = await signedUpUser('forgetful');
    // Act
    expect((await api('/auth/forgot', { method: 'POST', body: { email } })).status).toBe(202);
    const mail = await mailTo(email, /Reset/);
    const wrong = await api('/auth/reset', {
      method: 'POST',
      body: { email, code: 'nope', newPassword: NEW_PASSWORD },
    });
    const reset = await api('/auth/reset', {
      method: 'POST',
      body: { email, code: mail.code, newPassword: NEW_PASSWORD },
    });
    // Assess
    expect(mail).toMatchObject({
      to: email,
      code: expect.any(String),
      text: expect.stringContaining(mail.code ?? ''),
    });
    expect(wrong.status).toBe(400);
    expect(reset.status).toBe(204);
    expect((await api('/auth/login', { method: 'POST', body: { email, password: PASSWORD } })).status).toBe(
      401,
    );
    expect(
      (await api('/auth/login', { method: 'POST', body: { email, password: NEW_PASSWORD } })).status,
    ).toBe(200);
    const stale = await api('/me', { token: session.idToken });
    expect(stale.status).toBe(401);
    expect(stale.body.type).toBe(REVOKED);
  });
});

describe('answers that reveal nothing', () => {
  it('answers forgot and resend-code alike for known, unknown and confirmed emails', async () => {
    // Prepare
    const { email: confirmed } = await signedUpUser('known');
    const unconfirmed = uniqueEmail('unconfirmed');
    await api('/auth/signup', {
      method: 'POST',
      body: { email: unconfirmed, password: PASSWORD, name: 'U' },
    });
    const unknown = uniqueEmail('nobody');
    // Act
    const answers = [];
    for (const email of [confirmed, unconfirmed, unknown]) {
      for (const route of ['/auth/forgot', '/auth/resend-code']) {
        const response = await api(route, { method: 'POST', body: { email } });
        answers.push({ status: response.status, body: response.text });
      }
    }
    // Assess
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(
      new Set([JSON.stringify({ status: 202, body: '' })]),
    );
    const resent = await mailTo(unconfirmed, /confirmation code/, 1);
    expect(resent.code).toEqual(expect.any(String));
  });
});

describe('change password', () => {
  it('changes the password with the access token and ends every session, this one included', async () => {
    // Prepare
    const { email, session } = await signedUpUser('changer');
    // Act
    const wrong = await api('/auth/change-password', {
      method: 'POST',
      token: session.accessToken,
      body: { currentPassword: 'Not-The-One-1!', newPassword: NEW_PASSWORD },
    });
    const weak = await api('/auth/change-password', {
      method: 'POST',
      token: session.accessToken,
      body: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    const change = await api('/auth/change-password', {
      method: 'POST',
      token: session.accessToken,
      body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    // Assess
    expect(wrong.status).toBe(401);
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toEqual([expect.objectContaining({ path: 'body.newPassword' })]);
    expect(change.status).toBe(204);
    expect((await api('/me', { token: session.accessToken })).body.type).toBe(REVOKED);
    expect(
      (await api('/auth/login', { method: 'POST', body: { email, password: NEW_PASSWORD } })).status,
    ).toBe(200);
    expect(
      (
        await api('/auth/change-password', {
          method: 'POST',
          body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
        })
      ).status,
    ).toBe(401);
  });
});
