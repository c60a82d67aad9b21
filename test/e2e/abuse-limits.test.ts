/**
 * Abuse limits with real clients: an attacker from another address who fails a victim's login
 * locks only themselves (the throttle counts per email and source); routes that send mail
 * answer 429 past the per-email limit, for known and unknown emails alike.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { LOGIN_LIMITS, MAIL_LIMITS } from '#domain/identity/abuse-limits.ts';
import { api, login, loginAs, twin, uniqueEmail } from './support/twin.ts';

const PASSWORD = 'Correct-Horse-42!';

/** A POST from another loopback address (127.0.0.0/8 is all this machine's). */
const postFrom = (localAddress: string, path: string, body: unknown) =>
  new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
    const url = new URL(`${twin().urls.api}${path}`);
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json' },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });

const signedUp = async (label: string) => {
  const email = uniqueEmail(label);
  await api('/auth/signup', { method: 'POST', body: { email, password: PASSWORD, name: label } });
  await api('/auth/confirm', { method: 'POST', body: { email, code: twin().confirmationCode } });
  return email;
};

describe('login throttle per email and source', () => {
  it("locks the attacker's address out, not the victim's", async () => {
    // Prepare
    const victim = await signedUp('victim');
    const attempts = LOGIN_LIMITS.perEmailAndSource.maxFailures;
    // Act
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const failed = await postFrom('127.0.0.2', '/auth/login', {
        email: victim,
        password: 'Wrong-pass-42!',
      });
      expect(failed.status).toBe(401);
    }
    const attacker = await postFrom('127.0.0.2', '/auth/login', { email: victim, password: PASSWORD });
    const session = await login(victim, PASSWORD);
    // Assess
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers['retry-after'])).toBeGreaterThan(0);
    expect(session.user.email).toBe(victim);
  });
});

describe('limits on routes that send mail', () => {
  it.each(['/auth/forgot', '/auth/resend-code'])(
    'answers %s with 429 past the per-email limit',
    async (path) => {
      // Prepare: a known user whom no mail-sending route has been asked about yet (an invitation).
      const admin = await loginAs('admin');
      const known = uniqueEmail('mail-limit');
      const invited = await api('/users', {
        method: 'POST',
        token: admin.idToken,
        body: { email: known, name: 'Mia Mail', roles: ['staff'] },
      });
      expect(invited.status).toBe(201);
      const unknown = uniqueEmail('nobody');
      // Act
      const answers = async (email: string) => {
        const statuses: number[] = [];
        for (let sent = 0; sent <= MAIL_LIMITS.perEmail; sent += 1)
          statuses.push((await api(path, { method: 'POST', body: { email } })).status);
        return statuses;
      };
      const forKnown = await answers(known);
      const forUnknown = await answers(unknown);
      // Assess
      const expected = [...Array<number>(MAIL_LIMITS.perEmail).fill(202), 429];
      expect(forKnown).toEqual(expected);
      expect(forUnknown).toEqual(expected);
    },
  );

  it('limits sign-ups per email too', async () => {
    // Prepare
    const email = uniqueEmail('signup-limit');
    // Act
    const statuses: number[] = [];
    for (let sent = 0; sent <= MAIL_LIMITS.perEmail; sent += 1)
      statuses.push(
        (await api('/auth/signup', { method: 'POST', body: { email, password: PASSWORD, name: 'Sig' } }))
          .status,
      );
    // Assess
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((status) => status === 202)).toBe(true);
  });
});
