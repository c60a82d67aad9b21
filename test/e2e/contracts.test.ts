/**
 * Contracts on the twin: draft → edit → offer → edit again → stale acknowledgement (409) →
 * acknowledgement of the current terms → activation refused while a required credential is
 * pending (422), accepted once verified → complete; racing transitions; the access matrix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type MatrixRow, matrixCases } from './support/access-matrix.ts';
import { credentialOf, newStaffMember, type StaffMember } from './support/staff-members.ts';
import { api, loginAs, type Session } from './support/twin.ts';

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const content = (terms: string) => ({
  title: 'ICU nights, 13 weeks',
  terms,
  startDate: future(14),
  endDate: future(105),
  rate: { amountCents: 7200, currency: 'USD', per: 'hour' },
  location: 'Mercy General, ICU',
  requiredCredentialTypes: ['rn'],
});

let recruiter: Session;
let nurse: StaffMember;
let otherNurse: StaffMember;

beforeAll(async () => {
  recruiter = await loginAs('recruiter');
  [nurse, otherNurse] = await Promise.all([
    newStaffMember('contract-nurse'),
    newStaffMember('contract-other'),
  ]);
});

const draftFor = async (member: StaffMember, terms = 'Three 12-hour nights a week.') => {
  const created = await api('/contracts', {
    method: 'POST',
    token: recruiter.idToken,
    body: { staffId: member.staffId, ...content(terms) },
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; contentHash: string; version: number };
};

const post = (path: string, token: string, body?: unknown) => api(path, { method: 'POST', token, body });

describe('a contract from draft to completion', () => {
  it('versions the terms, insists on the current ones and on credentials, then runs its course', async () => {
    const rn = await credentialOf(nurse, 'RN', { expiryDate: future(400) });
    const draft = await draftFor(nurse);
    expect(draft).toMatchObject({
      status: 'draft',
      currentVersion: 1,
      version: 1,
      requiredCredentialTypes: ['RN'],
    });

    const read = await api(`/contracts/${draft.id}`, { token: nurse.session.idToken });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');

    const path = `/contracts/${draft.id}`;
    const edit = (terms: string, ifMatch?: string) =>
      api(path, {
        method: 'PUT',
        token: recruiter.idToken,
        body: content(terms),
        headers: ifMatch ? { 'if-match': ifMatch } : {},
      });
    expect((await edit('No If-Match')).status).toBe(428);
    const v2 = await edit('Three 12-hour nights; weekends rotate.', '"1"');
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ status: 'draft', currentVersion: 2, version: 2 });
    expect(v2.headers.get('etag')).toBe('"2"');
    expect((await edit('Stale', '"1"')).status).toBe(412);

    const offered = await post(`${path}/offer`, recruiter.idToken);
    expect(offered.body).toMatchObject({ status: 'offered', version: 3 });
    const v3 = await edit('Three 12-hour nights; weekends rotate; float pool.', '"3"');
    expect(v3.body).toMatchObject({ status: 'offered', currentVersion: 3, version: 4 });

    const stale = await post(`${path}/acknowledge`, nurse.session.idToken, {
      version: 2,
      contentHash: v2.body.contentHash,
    });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');

    const acknowledged = await post(`${path}/acknowledge`, nurse.session.idToken, {
      version: 3,
      contentHash: v3.body.contentHash,
    });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.acknowledgement).toMatchObject({
      by: nurse.userId,
      version: 3,
      contentHash: v3.body.contentHash,
    });

    // The held licence is revoked after the acknowledgement; its replacement is still pending.
    const credentialing = await loginAs('credentialing');
    const revoked = await post(`/credentials/${rn}/revoke`, credentialing.idToken, {
      reason: 'Board action',
    });
    expect(revoked.status).toBe(200);
    const replacement = await credentialOf(nurse, 'RN', { expiryDate: future(500), pending: true });
    const refused = await post(`${path}/activate`, recruiter.idToken);
    expect(refused.status).toBe(422);
    expect(refused.body.details).toMatchObject({ missingCredentialTypes: ['RN'] });

    const verified = await post(`/credentials/${replacement}/verify`, credentialing.idToken, {
      method: 'primary-source',
    });
    expect(verified.status).toBe(200);
    const active = await post(`${path}/activate`, recruiter.idToken);
    expect(active.body).toMatchObject({ status: 'active' });
    const completed = await post(`${path}/complete`, recruiter.idToken);
    expect(completed.body).toMatchObject({ status: 'completed', version: 7 });
    const late = await post(`${path}/withdraw`, recruiter.idToken);
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain('completed');

    const versions = await api(`${path}/versions`, { token: nurse.session.idToken });
    expect(versions.body.items.map((version: { version: number }) => version.version)).toEqual([1, 2, 3]);
    const first = await api(`${path}/versions/1`, { token: nurse.session.idToken });
    expect(first.body).toMatchObject({
      version: 1,
      terms: 'Three 12-hour nights a week.',
      contentHash: draft.contentHash,
    });
    const own = await api('/contracts', { token: nurse.session.idToken });
    expect(own.body.items.map((item: { id: string }) => item.id)).toContain(draft.id);
  });

  it('replays an idempotent create and refuses the same key with another body', async () => {
    const headers = { 'idempotency-key': `contract-${Date.now()}` };
    const body = { staffId: nurse.staffId, ...content('Idempotent') };
    const first = await api('/contracts', { method: 'POST', token: recruiter.idToken, body, headers });
    const again = await api('/contracts', { method: 'POST', token: recruiter.idToken, body, headers });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const other = await api('/contracts', {
      method: 'POST',
      token: recruiter.idToken,
      body: { ...body, title: 'Another' },
      headers,
    });
    expect(other.status).toBe(422);
  });
});

describe('racing transitions', () => {
  it('lets exactly one of 20 concurrent transitions win; the others get 409', async () => {
    // Acknowledge and decline both leave `offered` only, so no loser can follow the winner.
    const created = await api('/contracts', {
      method: 'POST',
      token: recruiter.idToken,
      body: { staffId: nurse.staffId, ...content('Race'), requiredCredentialTypes: [] },
    });
    const offered = await post(`/contracts/${created.body.id}/offer`, recruiter.idToken);
    const { currentVersion, contentHash } = offered.body;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        index % 2 === 0
          ? post(`/contracts/${created.body.id}/acknowledge`, nurse.session.idToken, {
              version: currentVersion,
              contentHash,
            })
          : post(`/contracts/${created.body.id}/decline`, nurse.session.idToken, {}),
      ),
    );
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    expect(results.filter((result) => result.status === 409)).toHaveLength(19);
    const after = await api(`/contracts/${created.body.id}`, { token: recruiter.idToken });
    expect(after.body.version).toBe(3);
  });
});

/** Each row: the route, then staff on their own contract, staff on another's, recruiter, credentialing, admin. */
const MATRIX: MatrixRow[] = [
  ['POST /contracts', 403, 403, 'ok', 403, 'ok'],
  ['GET /contracts?staffId=', 'ok', 404, 'ok', 'ok', 'ok'],
  ['GET /contracts/{id}', 'ok', 404, 'ok', 'ok', 'ok'],
  ['PUT /contracts/{id}', 403, 403, 'ok', 403, 'ok'],
  ['GET /contracts/{id}/versions', 'ok', 404, 'ok', 'ok', 'ok'],
  ['GET /contracts/{id}/versions/1', 'ok', 404, 'ok', 'ok', 'ok'],
  ['POST /contracts/{id}/offer', 403, 403, 'ok', 403, 'ok'],
  ['POST /contracts/{id}/acknowledge', 'ok', 404, 403, 403, 403],
  ['POST /contracts/{id}/decline', 'ok', 404, 403, 403, 403],
  ['POST /contracts/{id}/activate', 403, 403, 'ok', 403, 'ok'],
  ['POST /contracts/{id}/complete', 403, 403, 'ok', 403, 'ok'],
  ['POST /contracts/{id}/terminate', 403, 403, 'ok', 403, 'ok'],
  ['POST /contracts/{id}/withdraw', 403, 403, 'ok', 403, 'ok'],
];

const cases = matrixCases(MATRIX);

const BODIES: Record<string, unknown> = {
  acknowledge: { version: 1, contentHash: '0'.repeat(64) },
  decline: { reason: 'Not now' },
  terminate: { reason: 'Ended early' },
};

describe('access matrix', () => {
  let contracts: { own: string; other: string };
  beforeAll(async () => {
    contracts = { own: (await draftFor(nurse)).id, other: (await draftFor(otherNurse)).id };
  });

  it.each(cases)('$route by $role ($variant) → $expected', async ({ route, role, variant, expected }) => {
    const token = role === 'staff' ? nurse.session.idToken : (await loginAs(role)).idToken;
    const owner = variant === 'own' ? nurse : otherNurse;
    const id = variant === 'own' ? contracts.own : contracts.other;
    const [method = 'GET', template = ''] = route.split(' ');
    const path = template.replace('{id}', id).replace('staffId=', `staffId=${owner.staffId}`);
    const action = path.split('/').at(-1) ?? '';
    const body =
      method === 'POST' && path === '/contracts'
        ? { staffId: owner.staffId, ...content('Matrix') }
        : method === 'PUT'
          ? content('Matrix edit')
          : BODIES[action];
    const response = await api(path, {
      method,
      token,
      body,
      headers: method === 'PUT' ? { 'if-match': '"999"' } : {},
    });
    if (expected === 'ok') {
      expect(response.status, response.text).toBeLessThan(500);
      expect([403, 404]).not.toContain(response.status);
    } else {
      expect(response.status, response.text).toBe(expected);
    }
  });
});
