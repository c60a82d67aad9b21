/**
 * The credentialing file on the twin: a manual check recorded, a credential verified by naming
 * it (and by the older body, which records one on the way), the records listed and audited;
 * then who may call each credentialing route.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#domain/roles.ts';
import { api, eventually, loginAs, twin, uniqueEmail } from './support/twin.ts';

const ROLES: Role[] = ['staff', 'recruiter', 'credentialing', 'admin'];
const token = async (role: Role) => (await loginAs(role)).idToken;

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLE_LEIE = join(ROOT, 'local', 'fixtures', 'leie-sample.csv');

/** `npm run leie:import -- <file>` against this run's twin. */
const importLeie = (file: string) =>
  promisify(execFile)(process.execPath, ['scripts/leie-import.ts', file], {
    cwd: ROOT,
    env: { ...process.env, SHIFTLINE_DATA_DIR: twin().dataDir },
  });

let ownStaffId: string;
let otherStaffId: string;

/** A profile of its own (a user made staff by a role change, as staff.test.ts does): nothing else touches it. */
const newStaffMember = async (name: string, extra: Record<string, unknown> = {}) => {
  const user = await api('/users', {
    method: 'POST',
    token: await token('admin'),
    body: { email: uniqueEmail('credentialing'), name, roles: ['recruiter'] },
  });
  expect(user.status, user.text).toBe(201);
  // Profiles are for staff users only: the recruiter invited without one becomes staff first.
  const roles = await api(`/users/${user.body.id}/roles`, {
    method: 'PUT',
    token: await token('admin'),
    body: { roles: ['staff'] },
  });
  expect(roles.status, roles.text).toBe(200);
  const profile = await api('/staff', {
    method: 'POST',
    token: await token('admin'),
    body: { userId: user.body.id, name, ...extra },
  });
  expect(profile.status, profile.text).toBe(201);
  return profile.body.id as string;
};

const createCredential = async (staffId: string, type = 'RN') => {
  const created = await api(`/staff/${staffId}/credentials`, {
    method: 'POST',
    token: await token('recruiter'),
    body: { type, issuedBy: 'Texas Board of Nursing', jurisdiction: 'TX' },
  });
  expect(created.status, created.text).toBe(201);
  return created.body as { id: string };
};

/** Every profile id `GET /staff?credentialingStatus=` lists (a filtered page may be short: follow the cursor). */
const listedWith = async (status: string) => {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `credentialingStatus=${status}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await api(`/staff?${query}`, { token: await token('recruiter') });
    expect(page.status, page.text).toBe(200);
    ids.push(...page.body.items.map((p: { id: string }) => p.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  return ids;
};

beforeAll(async () => {
  ownStaffId = (await api('/me', { token: await token('staff') })).body.staffProfileId;
  otherStaffId = await newStaffMember('Oda Other');
});

describe('verification records', () => {
  it('records a manual check, verifies a credential by naming it, and keeps both bodies working', async () => {
    const credentialing = await token('credentialing');
    const rn = await createCredential(ownStaffId);
    const recorded = await api(`/staff/${ownStaffId}/verifications`, {
      method: 'POST',
      token: credentialing,
      body: { credentialId: rn.id, sourceRef: 'Texas BON licence lookup', result: 'match', note: 'active' },
    });
    expect(recorded.status, recorded.text).toBe(201);
    expect(recorded.body).toMatchObject({ source: 'manual', method: 'manual', result: 'match', version: 1 });

    const verified = await api(`/credentials/${rn.id}/verify`, {
      method: 'POST',
      token: credentialing,
      body: { verificationId: recorded.body.id },
    });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body.verification).toMatchObject({ verificationId: recorded.body.id });

    const bls = await createCredential(ownStaffId, 'BLS');
    const older = await api(`/credentials/${bls.id}/verify`, {
      method: 'POST',
      token: credentialing,
      body: { method: 'primary source' },
    });
    expect(older.status, older.text).toBe(200);
    const mine = await api(`/staff/${ownStaffId}/verifications?limit=100`, { token: await token('staff') });
    expect(mine.status).toBe(200);
    const ids = mine.body.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(recorded.body.id);
    expect(ids).toContain(older.body.verification.verificationId);

    await expect
      .poll(async () => {
        const chain = await api(`/audit/Verification/${recorded.body.id}`, { token: credentialing });
        return chain.body.items?.map((entry: { action: string }) => entry.action);
      }, eventually)
      .toEqual(['create']);
  });

  it('refuses a record of someone else (422) and a record with unknown fields (400)', async () => {
    const credentialing = await token('credentialing');
    const theirs = await api(`/staff/${otherStaffId}/verifications`, {
      method: 'POST',
      token: credentialing,
      body: { sourceRef: 'lookup', result: 'match' },
    });
    const rn = await createCredential(ownStaffId);
    const refused = await api(`/credentials/${rn.id}/verify`, {
      method: 'POST',
      token: credentialing,
      body: { verificationId: theirs.body.id },
    });
    expect(refused.status).toBe(422);
    const both = await api(`/credentials/${rn.id}/verify`, {
      method: 'POST',
      token: credentialing,
      body: { verificationId: theirs.body.id, method: 'x' },
    });
    expect(both.status).toBe(400);
  });
});

describe('NPPES checks', () => {
  it('confirms a matching NPI with evidence and names the fields that differ', async () => {
    const credentialing = await token('credentialing');
    const nina = await newStaffMember('Nina Okafor', { npi: '1043567894' });
    const leo = await newStaffMember('Leo Martins', { npi: '1769382015' });

    const matched = await api(`/staff/${nina}/checks/nppes`, { method: 'POST', token: credentialing });
    expect(matched.status, matched.text).toBe(201);
    expect(matched.body).toMatchObject({ source: 'nppes', method: 'api', result: 'match' });
    expect(matched.body.evidence.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(matched.body.evidence.snapshotKey).toBe(`evidence/nppes/${matched.body.evidence.sha256}.json`);

    const differing = await api(`/staff/${leo}/checks/nppes`, { method: 'POST', token: credentialing });
    expect(differing.status, differing.text).toBe(201);
    expect(differing.body).toMatchObject({
      result: 'no_match',
      differences: [{ field: 'name', profileValue: 'Leo Martins', sourceValue: 'LEONARDO MARTINEZ' }],
    });
  });

  it('refuses an NPI whose check digit is wrong (400)', async () => {
    const user = await api('/users', {
      method: 'POST',
      token: await token('admin'),
      body: { email: uniqueEmail('npi'), name: 'Ned Npi', roles: ['recruiter'] },
    });
    const refused = await api('/staff', {
      method: 'POST',
      token: await token('admin'),
      body: { userId: user.body.id, name: 'Ned Npi', npi: '1043567849' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'body.npi' })]);
  });
});

describe('the OIG LEIE', () => {
  it('imports the sample file once, refuses a renamed column, and screens staff against it', async () => {
    const { writeFileSync, readFileSync, mkdtempSync } = await import('node:fs');
    const renamed = join(mkdtempSync(join(twin().dataDir, 'leie-')), 'UPDATED.csv');
    writeFileSync(renamed, readFileSync(SAMPLE_LEIE, 'utf8').replace('WVRSTATE', 'WAIVERSTATE'));
    const refused = await importLeie(renamed).catch((error) => error);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('row 1, column WVRSTATE');

    const imported = JSON.parse((await importLeie(SAMPLE_LEIE)).stdout);
    const again = JSON.parse((await importLeie(SAMPLE_LEIE)).stdout);
    expect(imported).toMatchObject({ month: '2025-11', rows: 5, active: true });
    expect(again).toEqual({ month: '2025-11', rows: 5, written: false, active: true });

    const credentialing = await token('credentialing');
    const excluded = await newStaffMember('Daniel Abernathy', { npi: '1205673415' });
    const namesake = await newStaffMember('Hollis Vance', { dateOfBirth: '1990-02-01' });
    const match = await api(`/staff/${excluded}/checks/leie`, { method: 'POST', token: credentialing });
    expect(match.status, match.text).toBe(201);
    expect(match.body).toMatchObject({ source: 'leie', method: 'file', result: 'match' });
    expect(match.body.sourceRef).toBe('OIG LEIE 2025-11 rows 4');
    expect(match.body.evidence.snapshotKey).toBe(`evidence/leie/${match.body.evidence.sha256}.json`);
    const nameOnly = await api(`/staff/${namesake}/checks/leie`, { method: 'POST', token: credentialing });
    expect(nameOnly.body.result).toBe('suspected');
  });
});

describe('decisions', () => {
  it('approves a file whose every check is in, with recredentialing 36 months out; refuses one that is not', async () => {
    const credentialing = await token('credentialing');
    const priya = await newStaffMember('Priya Raman', { npi: '1582947309', dateOfBirth: '1984-05-02' });
    const crna = await api(`/staff/${priya}/credentials`, {
      method: 'POST',
      token: await token('recruiter'),
      body: { type: 'CRNA', issuedBy: 'California BRN', jurisdiction: 'CA', number: '95112' },
    });
    const post = (path: string, body?: unknown) => api(path, { method: 'POST', token: credentialing, body });
    const nppes = await post(`/staff/${priya}/checks/nppes`);
    expect(nppes.body.result, nppes.text).toBe('match');
    const board = await post(`/staff/${priya}/verifications`, {
      credentialId: crna.body.id,
      sourceRef: 'California BRN licence lookup',
      result: 'match',
    });
    expect(
      (await post(`/credentials/${crna.body.id}/verify`, { verificationId: board.body.id })).status,
    ).toBe(200);

    const early = await post(`/staff/${priya}/decisions`, {
      outcome: 'approved',
      verificationIds: [nppes.body.id, board.body.id],
      note: 'before the LEIE screen',
    });
    expect(early.status).toBe(422);
    expect(early.body.details).toEqual({ missing: ['leie no_match'], stale: [] });

    const leie = await post(`/staff/${priya}/checks/leie`);
    expect(leie.body.result).toBe('no_match');
    const approved = await post(`/staff/${priya}/decisions`, {
      outcome: 'approved',
      verificationIds: [nppes.body.id, leie.body.id, board.body.id],
      note: 'file complete',
    });
    expect(approved.status, approved.text).toBe(201);
    const due = new Date(approved.body.decidedAt);
    due.setUTCMonth(due.getUTCMonth() + 36);
    expect(approved.body).toMatchObject({ outcome: 'approved', recredentialDueAt: due.toISOString() });

    const seenByRecruiter = await api(`/staff/${priya}`, { token: await token('recruiter') });
    expect(seenByRecruiter.body).toMatchObject({
      credentialingStatus: 'approved',
      recredentialDueAt: due.toISOString(),
    });
    expect((await api(`/staff/${priya}/decisions`, { token: await token('recruiter') })).status).toBe(403);
    expect(await listedWith('approved')).toContain(priya);
    expect(await listedWith('none')).not.toContain(priya);
    const listed = await api(`/staff/${priya}/decisions`, { token: credentialing });
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([approved.body.id]);
    await expect
      .poll(async () => {
        const chain = await api(`/audit/StaffProfile/${priya}`, { token: credentialing });
        return chain.body.items?.map((entry: { action: string }) => entry.action);
      }, eventually)
      .toEqual(['create', 'decide']);
  });
});

describe('monitoring', () => {
  it('re-screens approved staff when the monthly schedule fires, flagging the one the LEIE lists', async () => {
    const fired = await fetch(`${twin().urls.scheduler}/schedules/exclusionMonitoring/fire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ time: '2025-12-02T07:00:00Z' }),
    });
    expect(fired.status).toBe(200);
    const run = (await fired.json()) as { id: string; matches: number; flaggedStaffIds: string[] };
    expect(run).toMatchObject({ startedAt: '2025-12-02T07:00:00.000Z', sources: ['leie'] });
    expect(run.matches).toBeGreaterThanOrEqual(1);

    // The seeded Daniel Abernathy was approved against October's file; November's lists him.
    const flagged = await listedWith('flagged');
    const names = await Promise.all(
      flagged.map(async (id) => (await api(`/staff/${id}`, { token: await token('recruiter') })).body.name),
    );
    expect(names).toContain('Daniel Abernathy');
    expect(run.flaggedStaffIds).toEqual(expect.arrayContaining(flagged));
    const runs = await api('/monitoring-runs?limit=5', { token: await token('credentialing') });
    expect(runs.body.items.map((item: { id: string }) => item.id)).toContain(run.id);
    expect((await api('/monitoring-runs', { token: await token('recruiter') })).status).toBe(403);

    // Credentialing checks the match by hand and clears it: the approval stands again.
    const credentialing = await token('credentialing');
    const danielId = flagged[names.indexOf('Daniel Abernathy')] ?? '';
    const daniel = await api(`/staff/${danielId}`, { token: credentialing });
    expect(daniel.body).toMatchObject({ credentialingStatus: 'flagged' });
    const ownCheck = await api(`/staff/${danielId}/verifications`, {
      method: 'POST',
      token: credentialing,
      body: { sourceRef: 'OIG exclusion search', result: 'match', note: 'the same person: confirmed' },
    });
    const resolvePath = `/staff/${danielId}/flags/${daniel.body.credentialingFlagId}/resolve`;
    const body = { outcome: 'confirmed', verificationId: ownCheck.body.id, note: 'excluded by OIG' };
    expect((await api(resolvePath, { method: 'POST', token: await token('recruiter'), body })).status).toBe(
      403,
    );
    const resolved = await api(resolvePath, { method: 'POST', token: credentialing, body });
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body).toEqual({ id: danielId, credentialingStatus: 'denied' });
    expect((await api(resolvePath, { method: 'POST', token: credentialing, body })).status).toBe(404);
  });
});

describe('access matrix', () => {
  // Expected status per role (staff, recruiter, credentialing, admin), own file and another's.
  const MATRIX: Array<{ route: string; own: number[]; other: number[] }> = [
    { route: 'POST /staff/{id}/verifications', own: [403, 403, 201, 201], other: [403, 403, 201, 201] },
    { route: 'GET /staff/{id}/verifications', own: [200, 403, 200, 200], other: [404, 403, 200, 200] },
    // Neither profile has an NPI: credentialing gets as far as the rule.
    { route: 'POST /staff/{id}/checks/nppes', own: [403, 403, 422, 422], other: [403, 403, 422, 422] },
    { route: 'POST /staff/{id}/checks/leie', own: [403, 403, 201, 201], other: [403, 403, 201, 201] },
    { route: 'POST /staff/{id}/decisions', own: [403, 403, 201, 201], other: [403, 403, 201, 201] },
    { route: 'GET /staff/{id}/decisions', own: [200, 403, 200, 200], other: [404, 403, 200, 200] },
  ];
  const BODIES: Record<string, unknown> = {
    'POST /staff/{id}/verifications': { sourceRef: 'lookup', result: 'no_match' },
    'POST /staff/{id}/decisions': { outcome: 'denied', verificationIds: [], note: 'matrix' },
  };
  const cases = MATRIX.flatMap(({ route, own, other }) =>
    ROLES.flatMap((role, index) => [
      { route, role, whose: 'own', expected: own[index] },
      { route, role, whose: 'other', expected: other[index] },
    ]),
  );

  it.each(cases)('$route by $role on $whose → $expected', async ({ route, role, whose, expected }) => {
    const staffId = whose === 'own' ? ownStaffId : otherStaffId;
    const [method = 'GET', template = ''] = route.split(' ');
    const response = await api(template.replace('{id}', staffId), {
      method,
      token: await token(role),
      body: BODIES[route],
    });
    expect(response.status, response.text).toBe(expected);
  });
});
