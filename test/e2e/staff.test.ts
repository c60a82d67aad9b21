/**
 * Staff profiles on the twin: profiles created at sign-up and invitation, one per user, the
 * owner's limited edits, dates of birth shown only where allowed (and audited), lists, bad
 * input, and the access matrix of every profile route × role × own/other profile.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '#domain/roles.ts';
import { api, eventually, login, loginAs, twin, uniqueEmail } from './support/twin.ts';

const PASSWORD = 'Correct-Horse-42!';
const ROLES: Role[] = ['staff', 'recruiter', 'credentialing', 'admin'];
const token = async (role: Role) => (await loginAs(role)).idToken;

/** A user of the test's own (a recruiter: invitations of staff create a profile themselves). */
const newUser = async (label: string) => {
  const invite = await api('/users', {
    method: 'POST',
    token: await token('admin'),
    body: { email: uniqueEmail(label), name: `User ${label}`, roles: ['recruiter'] },
  });
  expect(invite.status).toBe(201);
  const userId = invite.body.id as string;
  // A profile only for a staff user: a recruiter invited without one becomes staff by a role change.
  const refused = await api('/staff', {
    method: 'POST',
    token: await token('admin'),
    body: { userId, name: `User ${label}` },
  });
  expect(refused.status).toBe(422);
  const roles = await api(`/users/${userId}/roles`, {
    method: 'PUT',
    token: await token('admin'),
    body: { roles: ['staff'] },
  });
  expect(roles.status).toBe(200);
  return userId;
};

let ownId: string;
let otherId: string;
const specialty = `Flight-${Date.now().toString(36)}`;

beforeAll(async () => {
  const me = await api('/me', { token: await token('staff') });
  ownId = me.body.staffProfileId;
  const created = await api('/staff', {
    method: 'POST',
    token: await token('recruiter'),
    body: {
      userId: await newUser('other'),
      name: 'Olu Other',
      specialty,
      dateOfBirth: '1985-07-09',
      npi: '1234567893',
    },
  });
  expect(created.status, created.text).toBe(201);
  otherId = created.body.id;
});

describe('profiles come with the account', () => {
  it('gives a confirmed self sign-up a profile that /me names', async () => {
    const email = uniqueEmail('self');
    const signup = await api('/auth/signup', {
      method: 'POST',
      body: { email, password: PASSWORD, name: 'Sia Self' },
    });
    expect(signup.status).toBe(202);
    expect(
      (await api('/auth/confirm', { method: 'POST', body: { email, code: twin().confirmationCode } })).status,
    ).toBe(204);
    const session = await login(email, PASSWORD);
    const me = await api('/me', { token: session.idToken });
    expect(me.body.staffProfileId).toMatch(/^[0-9A-Z]{26}$/);
    const profile = await api(`/staff/${me.body.staffProfileId}`, { token: session.idToken });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      userId: session.user.id,
      name: 'Sia Self',
      email,
      isActive: true,
    });
    expect(profile.headers.get('etag')).toBe('"1"');
  });

  it('gives an invited staff member a profile, so a second one is 409', async () => {
    const invite = await api('/users', {
      method: 'POST',
      token: await token('recruiter'),
      body: { email: uniqueEmail('invited'), name: 'Ivo Invited', roles: ['staff'] },
    });
    expect(invite.status).toBe(201);
    const again = await api('/staff', {
      method: 'POST',
      token: await token('admin'),
      body: { userId: invite.body.id, name: 'Ivo Again' },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a profile for a user that does not exist (422)', async () => {
    const ghost = await api('/staff', {
      method: 'POST',
      token: await token('admin'),
      body: { userId: '00000000-0000-4000-8000-000000000000', name: 'Ghost' },
    });
    expect(ghost.status).toBe(422);
  });

  it('/me has no profile for agency users', async () => {
    expect((await api('/me', { token: await token('recruiter') })).body.staffProfileId).toBeNull();
  });
});

describe('dates of birth', () => {
  it('reach credentialing and admin (each read audited), never recruiters or lists', async () => {
    const asRecruiter = await api(`/staff/${otherId}`, { token: await token('recruiter') });
    expect(asRecruiter.body).not.toHaveProperty('dateOfBirth');
    const asCredentialing = await api(`/staff/${otherId}`, { token: await token('credentialing') });
    expect(asCredentialing.body.dateOfBirth).toBe('1985-07-09');
    const list = await api(`/staff?specialty=${specialty}`, { token: await token('admin') });
    expect(list.body.items).toEqual([expect.not.objectContaining({ dateOfBirth: expect.anything() })]);

    const readEntry = async () => {
      const chain = await api(`/audit/StaffProfile/${otherId}`, { token: await token('admin') });
      return (chain.body?.items ?? []).find(
        (entry: { action: string }) => entry.action === 'read.dateOfBirth',
      );
    };
    // The access event reaches the ledger through the stream, after the read has answered.
    const entry = await vi.waitFor(async () => {
      const found = await readEntry();
      expect(found).toBeDefined();
      return found;
    }, eventually);
    expect(entry).toMatchObject({ actor: { userId: (await loginAs('credentialing')).user.id } });
    expect(JSON.stringify(entry)).not.toContain('1985-07-09');
  });
});

describe('editing', () => {
  const patch = async (role: Role, id: string, body: unknown, etag?: string) => {
    const current = await api(`/staff/${id}`, { token: await token('admin') });
    return api(`/staff/${id}`, {
      method: 'PATCH',
      token: await token(role),
      body,
      headers: { 'if-match': etag ?? current.headers.get('etag') ?? '' },
    });
  };

  it('lets the owner change name, phone and specialty only', async () => {
    const mine = await patch('staff', ownId, { phone: '+1 512 555 0199' });
    expect(mine.status).toBe(200);
    expect(mine.body.phone).toBe('+1 512 555 0199');
    expect((await patch('staff', ownId, { npi: '1234567893' })).status).toBe(403);
    expect((await patch('staff', ownId, { isActive: false })).status).toBe(403);
  });

  it('needs the current ETag: missing 428, stale 412', async () => {
    const missing = await api(`/staff/${otherId}`, {
      method: 'PATCH',
      token: await token('admin'),
      body: { name: 'X' },
    });
    expect(missing.status).toBe(428);
    expect((await patch('admin', otherId, { name: 'X' }, '"999"')).status).toBe(412);
  });

  it('refuses unknown fields and impossible dates with a problem, changing nothing', async () => {
    const before = await api(`/staff/${otherId}`, { token: await token('admin') });
    const unknown = await patch('admin', otherId, { name: 'Y', role: 'admin' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'body.role', message: 'Unknown field' }]);
    const badDate = await patch('admin', otherId, { dateOfBirth: '1985-02-30' });
    expect(badDate.status).toBe(400);
    const after = await api(`/staff/${otherId}`, { token: await token('admin') });
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(after.body).toEqual(before.body);
  });

  it('lists by specialty and activity', async () => {
    const admin = await token('admin');
    const active = await api(`/staff?specialty=${specialty.toUpperCase()}&active=true`, { token: admin });
    expect(active.body.items.map((p: { id: string }) => p.id)).toEqual([otherId]);
    expect((await api(`/staff?specialty=${specialty}&active=false`, { token: admin })).body.items).toEqual(
      [],
    );
    expect((await api('/staff?active=maybe', { token: admin })).status).toBe(400);
  });
});

describe('access matrix', () => {
  // Expected status per role (staff, recruiter, credentialing, admin) on the caller's own
  // profile (the demo staff member's) and on another's.
  const MATRIX: Array<{ route: string; own: number[]; other: number[] }> = [
    { route: 'GET /staff/{id}', own: [200, 200, 200, 200], other: [404, 200, 200, 200] },
    { route: 'PATCH /staff/{id}', own: [200, 200, 403, 200], other: [404, 200, 403, 200] },
    { route: 'GET /staff', own: [403, 200, 200, 200], other: [403, 200, 200, 200] },
    { route: 'POST /staff', own: [403, 409, 403, 409], other: [403, 409, 403, 409] },
  ];
  const cases = MATRIX.flatMap(({ route, own, other }) =>
    ROLES.flatMap((role, index) => [
      { route, role, whose: 'own', expected: own[index] },
      { route, role, whose: 'other', expected: other[index] },
    ]),
  );

  it.each(cases)(
    '$route by $role on $whose profile → $expected',
    async ({ route, role, whose, expected }) => {
      const id = whose === 'own' ? ownId : otherId;
      const profile = await api(`/staff/${id}`, { token: await token('admin') });
      const requests: Record<string, () => ReturnType<typeof api>> = {
        'GET /staff/{id}': async () => api(`/staff/${id}`, { token: await token(role) }),
        'PATCH /staff/{id}': async () =>
          api(`/staff/${id}`, {
            method: 'PATCH',
            token: await token(role),
            body: { name: profile.body.name },
            headers: { 'if-match': profile.headers.get('etag') ?? '' },
          }),
        'GET /staff': async () => api('/staff?limit=1', { token: await token(role) }),
        // A user who has a profile already: allowed roles get 409, the others 403 first.
        'POST /staff': async () =>
          api('/staff', {
            method: 'POST',
            token: await token(role),
            body: { userId: profile.body.userId, name: 'N' },
          }),
      };
      const response = await (requests[route] as () => ReturnType<typeof api>)();
      expect(response.status, response.text).toBe(expected);
    },
  );
});
