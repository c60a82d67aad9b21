/**
 * The audit ledger on the twin: an identity story (sign-up → confirm → login → role change)
 * read back as the user's chain, verified, and found through /audit; then who may read what.
 */
import { describe, expect, it, vi } from 'vitest';
import { api, eventually, login, loginAs, twin, uniqueEmail } from './support/twin.ts';

const PASSWORD = 'Correct-Horse-42!';

interface Entry {
  entityType: string;
  entityId: string;
  seq: number;
  action: string;
  actor: { userId: string; roles: string[] };
  requestId: string;
  changes: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The chain once it holds `count` entries: the ledger trails the write by the stream's lag. */
const chainOf = (token: string, path: string, count: number): Promise<Entry[]> =>
  vi.waitFor(async () => {
    const response = await api<{ items: Entry[] }>(`/audit/${path}?limit=100`, { token });
    expect(response.status).toBe(200);
    expect(response.body.items.length).toBeGreaterThanOrEqual(count);
    return response.body.items;
  }, eventually);

describe('an identity story in the ledger', () => {
  it('records sign-up, login and the role change on the user chain, each once, with its actor and request id', async () => {
    const admin = await loginAs('admin');
    const email = uniqueEmail('audited');
    const signup = await api('/auth/signup', {
      method: 'POST',
      body: { email, password: PASSWORD, name: 'Ada Audited' },
    });
    expect(signup.status).toBe(202);
    const confirm = await api('/auth/confirm', {
      method: 'POST',
      body: { email, code: twin().confirmationCode },
    });
    expect(confirm.status).toBe(204);
    const session = await login(email, PASSWORD);
    const userId: string = session.user.id;
    const roles = await api(`/users/${userId}/roles`, {
      method: 'PUT',
      token: admin.idToken,
      body: { roles: ['staff', 'credentialing'] },
    });
    expect(roles.status).toBe(200);

    const chain = await chainOf(admin.idToken, `User/${userId}`, 3);

    expect(chain.map(({ seq, action, actor }) => ({ seq, action, actor }))).toEqual([
      { seq: 1, action: 'signup', actor: { userId, roles: [] } },
      { seq: 2, action: 'login', actor: { userId, roles: ['staff'] } },
      { seq: 3, action: 'roles.change', actor: { userId: admin.user.id, roles: ['admin'] } },
    ]);
    expect(chain[0]?.requestId).toBe(signup.headers.get('x-request-id'));
    expect(chain[2]?.requestId).toBe(roles.headers.get('x-request-id'));
    expect(chain[0]?.prevHash).toBe('0'.repeat(64));
    expect(chain[1]?.prevHash).toBe(chain[0]?.hash);
    expect(JSON.stringify(chain)).not.toMatch(/Ada Audited|audited-/);

    const verdict = await api(`/audit/User/${userId}/verify`, { token: admin.idToken });
    expect(verdict.body).toEqual({ valid: true, entries: 3, headHash: chain[2]?.hash });

    const byActor = await api<{ items: Entry[] }>(`/audit?actorId=${userId}`, { token: admin.idToken });
    expect(byActor.body.items.map((entry) => entry.action)).toEqual(['login', 'signup']);
    const byType = await api<{ items: Entry[]; nextCursor: string | null }>(
      `/audit?entityType=User&entityId=${userId}&limit=2`,
      { token: admin.idToken },
    );
    expect(byType.body.items.map((entry) => entry.seq)).toEqual([3, 2]);
    const rest = await api<{ items: Entry[] }>(
      `/audit?entityType=User&entityId=${userId}&limit=2&cursor=${byType.body.nextCursor}`,
      { token: admin.idToken },
    );
    expect(rest.body.items.map((entry) => entry.seq)).toEqual([1]);

    // Confirmation's entry is the new staff profile's creation, by the system.
    const me = await api('/me', { token: session.idToken });
    if (me.body.staffProfileId) {
      const profile = await chainOf(admin.idToken, `StaffProfile/${me.body.staffProfileId}`, 1);
      expect(profile.map(({ action, actor }) => ({ action, actor }))).toEqual([
        { action: 'create', actor: { userId: 'system', roles: ['system'] } },
      ]);
    }
  });
});

describe('who may read the ledger', () => {
  const someone = '0b6c6a8e-5f0e-4c55-9f0a-3c1f5c2d7e11';
  const ulid = '01J0000000000000000000AAAA';
  it.each([
    ['admin', '/audit', 200],
    ['admin', '/audit?entityType=User', 200],
    ['admin', `/audit/User/${someone}`, 200],
    ['admin', `/audit/Contract/${ulid}/verify`, 200],
    ['credentialing', '/audit?entityType=Credential', 200],
    ['credentialing', '/audit?entityType=StaffProfile', 200],
    ['credentialing', `/audit/Credential/${ulid}`, 200],
    ['credentialing', `/audit/StaffProfile/${ulid}/verify`, 200],
    ['credentialing', '/audit', 403],
    ['credentialing', '/audit?entityType=User', 403],
    ['credentialing', `/audit?actorId=${someone}`, 403],
    ['credentialing', `/audit/User/${someone}`, 403],
    ['credentialing', `/audit/Contract/${ulid}/verify`, 403],
    ['recruiter', '/audit?entityType=Credential', 403],
    ['recruiter', `/audit/Credential/${ulid}`, 403],
    ['staff', '/audit', 403],
    ['staff', `/audit/StaffProfile/${ulid}/verify`, 403],
  ] as const)('%s GET %s → %i', async (role, path, status) => {
    const session = await loginAs(role);
    const response = await api(path, { token: session.idToken });
    expect(response.status).toBe(status);
    if (status === 403) expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses bad filters and a cursor of another query', async () => {
    const admin = await loginAs('admin');
    expect((await api(`/audit?entityId=${ulid}`, { token: admin.idToken })).status).toBe(400);
    expect((await api('/audit?entityType=Nope', { token: admin.idToken })).status).toBe(400);
    expect((await api('/audit?from=yesterday', { token: admin.idToken })).status).toBe(400);
    const first = await api<{ nextCursor: string | null }>('/audit?entityType=User&limit=1', {
      token: admin.idToken,
    });
    if (first.body.nextCursor) {
      const other = await api(`/audit?entityType=Credential&limit=1&cursor=${first.body.nextCursor}`, {
        token: admin.idToken,
      });
      expect(other.status).toBe(400);
    }
  });
});
