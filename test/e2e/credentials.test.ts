/**
 * Credentials on the twin: pending → verified → warned by the sweep (fired through the
 * scheduler's control endpoint at chosen times) → expired; rejections and revocations; a real
 * file up and down through the presigned URLs; bad input; and the access matrix of every
 * credential route × role × own/other staff member.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOf } from '#domain/credentials/days.ts';
import type { Role } from '#domain/roles.ts';
import { api, loginAs, twin, uniqueEmail } from './support/twin.ts';

const require = createRequire(import.meta.url);
const FILE = readFileSync(require.resolve('swagger-ui-dist/favicon-32x32.png'));
const ROLES: Role[] = ['staff', 'recruiter', 'credentialing', 'admin'];
const token = async (role: Role) => (await loginAs(role)).idToken;
// Expiry dates decades ahead, in a year of this run's own: the sweep, fired at chosen times, reads
// only the buckets around those dates, where no other test and no seeded credential lives.
const FAR = `${2090 + Math.floor(Math.random() * 9)}-0${1 + Math.floor(Math.random() * 9)}-15`;

let ownStaffId: string;
let otherStaffId: string;

const createCredential = async (staffId: string, body: Record<string, unknown>, role: Role = 'staff') => {
  const created = await api(`/staff/${staffId}/credentials`, {
    method: 'POST',
    token: await token(role),
    body,
  });
  expect(created.status, created.text).toBe(201);
  return created.body as { id: string; status: string; version: number };
};

const decide = async (id: string, transition: string, body: unknown, role: Role = 'credentialing') =>
  api(`/credentials/${id}/${transition}`, { method: 'POST', token: await token(role), body });

const fireSweep = async (time: string) => {
  const response = await fetch(`${twin().urls.scheduler}/schedules/credentialExpiry/fire`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ time }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { examined: number; warned: number; expired: number };
};

beforeAll(async () => {
  ownStaffId = (await api('/me', { token: await token('staff') })).body.staffProfileId;
  const user = await api('/users', {
    method: 'POST',
    token: await token('admin'),
    body: { email: uniqueEmail('cred-other'), name: 'Oda Other', roles: ['recruiter'] },
  });
  // A profile needs the staff role: the user, invited without a profile, becomes staff first.
  await api(`/users/${user.body.id}/roles`, {
    method: 'PUT',
    token: await token('admin'),
    body: { roles: ['staff'] },
  });
  const profile = await api('/staff', {
    method: 'POST',
    token: await token('admin'),
    body: { userId: user.body.id, name: 'Oda Other' },
  });
  otherStaffId = profile.body.id;
});

describe('pending → verified → warned → expired', () => {
  it('walks a credential through its life, the sweep firing each threshold once', async () => {
    const credential = await createCredential(ownStaffId, { type: 'rn', issuedBy: 'Board', expiryDate: FAR });
    expect(credential).toMatchObject({ type: 'RN', status: 'pending', expiryWarning: null });
    const queue = await api('/credentials?status=pending&limit=100', { token: await token('credentialing') });
    expect(queue.status).toBe(200);
    const names = (queue.body.items as Array<{ staffName?: string }>).map((item) => item.staffName);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toEqual(expect.any(String));

    expect((await decide(credential.id, 'verify', { method: 'x' }, 'recruiter')).status).toBe(403);
    const verified = await decide(credential.id, 'verify', { method: 'primary source', note: 'checked' });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      status: 'active',
      verification: {
        by: (await loginAs('credentialing')).user.id,
        method: 'primary source',
        note: 'checked',
      },
    });
    const again = await decide(credential.id, 'verify', { method: 'x' }, 'admin');
    expect(again.status).toBe(409);
    expect(again.body.currentState).toBe('active');

    expect(await fireSweep(`${addDays(FAR, -20)}T06:00:00Z`)).toEqual({ examined: 1, warned: 1, expired: 0 });
    expect(await fireSweep(`${addDays(FAR, -20)}T06:00:00Z`)).toEqual({ examined: 1, warned: 0, expired: 0 });
    const warned = await api(`/credentials/${credential.id}`, { token: await token('staff') });
    expect(warned.body).toMatchObject({ status: 'active', expiryWarning: 30 });
    expect(await fireSweep(`${addDays(FAR, -5)}T06:00:00Z`)).toMatchObject({ warned: 1 });
    // The last valid day: the 0-day warning, once.
    expect(await fireSweep(`${FAR}T06:00:00Z`)).toMatchObject({ warned: 1, expired: 0 });
    expect(await fireSweep(`${FAR}T06:00:00Z`)).toMatchObject({ warned: 0, expired: 0 });
    expect(await fireSweep(`${addDays(FAR, 1)}T06:00:00Z`)).toEqual({ examined: 1, warned: 0, expired: 1 });
    expect(await fireSweep(`${addDays(FAR, 1)}T06:00:00Z`)).toEqual({ examined: 0, warned: 0, expired: 0 });

    const expired = await api(`/credentials/${credential.id}`, { token: await token('staff') });
    expect(expired.body).toMatchObject({ status: 'expired', expiryWarning: 0 });
    expect(expired.headers.get('etag')).toBe('"6"');
    const mine = await api(`/staff/${ownStaffId}/credentials?status=expired&limit=100`, {
      token: await token('staff'),
    });
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(credential.id);
  });

  it('refuses to verify what already expired (422), rejects pending and revokes active only', async () => {
    const past = await createCredential(ownStaffId, {
      type: 'BLS',
      expiryDate: addDays(dayOf(new Date()), -1),
    });
    expect((await decide(past.id, 'verify', { method: 'x' })).status).toBe(422);
    const rejected = await decide(past.id, 'reject', { reason: 'expired card' });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejection: { reason: 'expired card' } });
    expect((await decide(past.id, 'revoke', { reason: 'x' })).status).toBe(409);

    const held = await createCredential(
      ownStaffId,
      { type: 'ACLS', expiryDate: addDays(FAR, 200) },
      'recruiter',
    );
    await decide(held.id, 'verify', { method: 'x' });
    expect((await decide(held.id, 'revoke', { reason: 'board action' }, 'admin')).body.status).toBe(
      'revoked',
    );
  });

  it('lists what expires within N days (real clock), and lets only admins run the sweep now', async () => {
    const soon = await createCredential(
      otherStaffId,
      { type: 'PALS', expiryDate: addDays(dayOf(new Date()), 10) },
      'admin',
    );
    const within = await api('/credentials?expiringWithinDays=30&limit=100', {
      token: await token('recruiter'),
    });
    expect(within.body.items.map((c: { id: string }) => c.id)).toContain(soon.id);
    const narrow = await api('/credentials?expiringWithinDays=5&limit=100', {
      token: await token('recruiter'),
    });
    expect(narrow.body.items.map((c: { id: string }) => c.id)).not.toContain(soon.id);
    expect((await api('/credentials?expiringWithinDays=91', { token: await token('admin') })).status).toBe(
      400,
    );

    const run = await api('/admin/sweeps/credential-expiry', { method: 'POST', token: await token('admin') });
    expect(run.status).toBe(200);
    expect(run.body).toEqual({
      examined: expect.any(Number),
      warned: expect.any(Number),
      expired: expect.any(Number),
    });
    const forbidden = await api('/admin/sweeps/credential-expiry', {
      method: 'POST',
      token: await token('credentialing'),
    });
    expect(forbidden.status).toBe(403);
  });
});

describe('documents', () => {
  it('uploads a real file through the presigned PUT and downloads it as an attachment', async () => {
    const { id } = await createCredential(ownStaffId, { type: 'RN', expiryDate: addDays(FAR, 300) });
    const upload = await api(`/credentials/${id}/document`, {
      method: 'POST',
      token: await token('staff'),
      body: { name: 'My licence.png', contentType: 'image/png', size: FILE.length },
    });
    expect(upload.status).toBe(200);
    expect(upload.body.uploadHeaders).toEqual({
      'Content-Type': 'image/png',
      'Content-Length': String(FILE.length),
      'If-None-Match': '*',
    });
    expect(upload.body.uploadUrl).not.toContain('licence');
    const notYet = await api(`/credentials/${id}/document`, { token: await token('recruiter') });
    expect(notYet.status).toBe(409);

    const put = (body: Buffer, contentType: string) =>
      fetch(upload.body.uploadUrl, {
        method: 'PUT',
        body,
        headers: { 'content-type': contentType, 'if-none-match': '*' },
      });
    expect((await put(FILE, 'text/html')).status).toBe(403);
    expect((await put(Buffer.concat([FILE, Buffer.from('x')]), 'image/png')).status).toBe(403);
    expect((await put(FILE, 'image/png')).status).toBe(200);

    const download = await api(`/credentials/${id}/document`, { token: await token('recruiter') });
    expect(download.status).toBe(200);
    const file = await fetch(download.body.downloadUrl);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="credential-${id}.png"`);
    expect(Buffer.from(await file.arrayBuffer()).equals(FILE)).toBe(true);
    const credential = await api(`/credentials/${id}`, { token: await token('staff') });
    expect(credential.body.document).toEqual({
      name: 'My licence.png',
      contentType: 'image/png',
      size: FILE.length,
      status: 'uploaded',
    });
  });

  it('refuses oversize and unsupported documents, writing nothing', async () => {
    const { id } = await createCredential(ownStaffId, { type: 'BLS' });
    for (const body of [
      { name: 'big.pdf', contentType: 'application/pdf', size: 10 * 1024 * 1024 + 1 },
      { name: 'anim.gif', contentType: 'image/gif', size: 100 },
      { name: 'a.pdf', contentType: 'application/pdf', size: 100, path: '/etc' },
    ]) {
      const refused = await api(`/credentials/${id}/document`, {
        method: 'POST',
        token: await token('staff'),
        body,
      });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    const after = await api(`/credentials/${id}`, { token: await token('staff') });
    expect(after.body).not.toHaveProperty('document');
    expect(after.body.version).toBe(1);
  });
});

describe('bad input', () => {
  it('keeps the jurisdiction a licence was issued in, as its upper-case code', async () => {
    // Act
    const created = await createCredential(ownStaffId, { type: 'RN', jurisdiction: ' ca ' });
    const read = await api(`/credentials/${created.id}`, { token: await token('credentialing') });
    // Assess
    expect(created).toMatchObject({ jurisdiction: 'CA' });
    expect(read.body).toMatchObject({ id: created.id, jurisdiction: 'CA' });
  });

  it('refuses unknown fields, impossible dates and bad codes with a problem, creating nothing', async () => {
    const before = await api(`/staff/${otherStaffId}/credentials?limit=100`, { token: await token('admin') });
    for (const body of [
      { type: 'RN', status: 'active' },
      { type: 'RN', expiryDate: '2030-02-30' },
      { type: 'RN', issueDate: '2030-03-01', expiryDate: '2030-02-01' },
      { type: 'R N' },
      { type: 'RN', jurisdiction: 'California' },
    ]) {
      const refused = await api(`/staff/${otherStaffId}/credentials`, {
        method: 'POST',
        token: await token('admin'),
        body,
      });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.errors.length).toBeGreaterThan(0);
    }
    const after = await api(`/staff/${otherStaffId}/credentials?limit=100`, { token: await token('admin') });
    expect(after.body.items).toEqual(before.body.items);
  });
});

describe('access matrix', () => {
  // Expected status per role (staff, recruiter, credentialing, admin), on the demo staff
  // member's own credentials and on another staff member's.
  const MATRIX: Array<{ route: string; own: number[]; other: number[] }> = [
    { route: 'POST /staff/{id}/credentials', own: [201, 201, 201, 201], other: [404, 201, 201, 201] },
    { route: 'GET /staff/{id}/credentials', own: [200, 200, 200, 200], other: [404, 200, 200, 200] },
    { route: 'GET /credentials', own: [403, 200, 200, 200], other: [403, 200, 200, 200] },
    { route: 'GET /credentials/{id}', own: [200, 200, 200, 200], other: [404, 200, 200, 200] },
    { route: 'POST /credentials/{id}/verify', own: [403, 403, 200, 200], other: [403, 403, 200, 200] },
    { route: 'POST /credentials/{id}/reject', own: [403, 403, 200, 200], other: [403, 403, 200, 200] },
    { route: 'POST /credentials/{id}/revoke', own: [403, 403, 409, 409], other: [403, 403, 409, 409] },
    { route: 'POST /credentials/{id}/document', own: [200, 403, 200, 200], other: [404, 403, 200, 200] },
    { route: 'GET /credentials/{id}/document', own: [409, 409, 409, 409], other: [404, 409, 409, 409] },
    { route: 'POST /admin/sweeps/credential-expiry', own: [403, 403, 403, 200], other: [403, 403, 403, 200] },
  ];
  const cases = MATRIX.flatMap(({ route, own, other }) =>
    ROLES.flatMap((role, index) => [
      { route, role, whose: 'own', expected: own[index] },
      { route, role, whose: 'other', expected: other[index] },
    ]),
  );

  it.each(cases)('$route by $role on $whose → $expected', async ({ route, role, whose, expected }) => {
    const staffId = whose === 'own' ? ownStaffId : otherStaffId;
    // A fresh pending credential (with a pending document) per case, so transitions are comparable.
    const { id } = await createCredential(staffId, { type: 'BLS', expiryDate: addDays(FAR, 400) }, 'admin');
    await api(`/credentials/${id}/document`, {
      method: 'POST',
      token: await token('admin'),
      body: { name: 'card.pdf', contentType: 'application/pdf', size: 100 },
    });
    const as = await token(role);
    const [method = 'GET', template = ''] = route.split(' ');
    const path = template.replace('/staff/{id}', `/staff/${staffId}`).replace('{id}', id);
    const bodies: Record<string, unknown> = {
      'POST /staff/{id}/credentials': { type: 'RN' },
      'POST /credentials/{id}/verify': { method: 'x' },
      'POST /credentials/{id}/reject': { reason: 'x' },
      'POST /credentials/{id}/revoke': { reason: 'x' },
      'POST /credentials/{id}/document': { name: 'c.png', contentType: 'image/png', size: 10 },
    };
    const response = await api(path, { method, token: as, body: bodies[route] });
    expect(response.status, response.text).toBe(expected);
  });
});
