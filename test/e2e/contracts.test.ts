/**
 * Contracts on the twin, through @shiftline/client: draft → edit → offer → edit again → stale
 * acknowledgement (409) → acknowledgement of the current terms → activation refused while a
 * required credential is pending (422), accepted once verified → complete; racing transitions;
 * the access matrix. Raw HTTP only for what the client will not send (a PUT without If-Match).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { problemOf, type ShiftlineClient } from '../../packages/client/src/index.ts';
import { type MatrixRow, matrixCases } from './support/access-matrix.ts';
import { callRoute, clientAs, clientOf } from './support/clients.ts';
import { credentialOf, newStaffMember, type StaffMember } from './support/staff-members.ts';
import { api, type Session } from './support/twin.ts';

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const content = (terms: string) => ({
  title: 'ICU nights, 13 weeks',
  terms,
  startDate: future(14),
  endDate: future(105),
  rate: { amountCents: 7200, currency: 'USD', per: 'hour' as const },
  location: 'Mercy General, ICU',
  requiredCredentialTypes: ['rn'],
});

let recruiter: ShiftlineClient;
let recruiterSession: Session;
let nurse: StaffMember;
let nurseClient: ShiftlineClient;
let otherNurse: StaffMember;

beforeAll(async () => {
  recruiter = await clientAs('recruiter');
  recruiterSession = { ...(recruiter.session() as Session) };
  [nurse, otherNurse] = await Promise.all([
    newStaffMember('contract-nurse'),
    newStaffMember('contract-other'),
  ]);
  nurseClient = clientOf(nurse.session);
});

const draftFor = async (member: StaffMember, terms = 'Three 12-hour nights a week.') => {
  const created = await recruiter.api.POST('/contracts', {
    body: { staffId: member.staffId, ...content(terms) },
  });
  expect(created.response.status).toBe(201);
  if (!created.data) throw new Error('no contract');
  return created.data;
};

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
    const id = { params: { path: { id: draft.id } } };

    const read = await nurseClient.api.GET('/contracts/{id}', id);
    expect(read.response.status).toBe(200);
    expect(read.response.headers.get('etag')).toBe('"1"');

    const edit = (terms: string, ifMatch: string) =>
      recruiter.api.PUT('/contracts/{id}', {
        params: { path: { id: draft.id }, header: { 'If-Match': ifMatch } },
        body: content(terms),
      });
    // The client's types insist on If-Match: only raw HTTP can leave it out.
    const noIfMatch = await api(`/contracts/${draft.id}`, {
      method: 'PUT',
      token: recruiterSession.idToken,
      body: content('No If-Match'),
    });
    expect(noIfMatch.status).toBe(428);
    const v2 = await edit('Three 12-hour nights; weekends rotate.', '"1"');
    expect(v2.response.status).toBe(200);
    expect(v2.data).toMatchObject({ status: 'draft', currentVersion: 2, version: 2 });
    expect(v2.response.headers.get('etag')).toBe('"2"');
    expect((await edit('Stale', '"1"')).response.status).toBe(412);

    const offered = await recruiter.api.POST('/contracts/{id}/offer', id);
    expect(offered.data).toMatchObject({ status: 'offered', version: 3 });
    const v3 = await edit('Three 12-hour nights; weekends rotate; float pool.', '"3"');
    expect(v3.data).toMatchObject({ status: 'offered', currentVersion: 3, version: 4 });

    const stale = await nurseClient.api.POST('/contracts/{id}/acknowledge', {
      ...id,
      body: { version: 2, contentHash: v2.data?.contentHash ?? '' },
    });
    expect(stale.response.status).toBe(409);
    expect(stale.response.headers.get('content-type')).toContain('application/problem+json');

    const acknowledged = await nurseClient.api.POST('/contracts/{id}/acknowledge', {
      ...id,
      body: { version: 3, contentHash: v3.data?.contentHash ?? '' },
    });
    expect(acknowledged.response.status).toBe(200);
    expect(acknowledged.data?.acknowledgement).toMatchObject({
      by: nurse.userId,
      version: 3,
      contentHash: v3.data?.contentHash,
    });

    // The held licence is revoked after the acknowledgement; its replacement is still pending.
    const credentialing = await clientAs('credentialing');
    const revoked = await credentialing.api.POST('/credentials/{id}/revoke', {
      params: { path: { id: rn } },
      body: { reason: 'Board action' },
    });
    expect(revoked.response.status).toBe(200);
    const replacement = await credentialOf(nurse, 'RN', { expiryDate: future(500), pending: true });
    const refused = await recruiter.api.POST('/contracts/{id}/activate', id);
    expect(refused.response.status).toBe(422);
    expect(problemOf(refused.error)?.details).toMatchObject({ missingCredentialTypes: ['RN'] });

    const verified = await credentialing.api.POST('/credentials/{id}/verify', {
      params: { path: { id: replacement } },
      body: { method: 'primary-source' },
    });
    expect(verified.response.status).toBe(200);
    const active = await recruiter.api.POST('/contracts/{id}/activate', id);
    expect(active.data).toMatchObject({ status: 'active' });
    const completed = await recruiter.api.POST('/contracts/{id}/complete', id);
    expect(completed.data).toMatchObject({ status: 'completed', version: 7 });
    const late = await recruiter.api.POST('/contracts/{id}/withdraw', id);
    expect(late.response.status).toBe(409);
    expect(problemOf(late.error)?.detail).toContain('completed');

    const versions = await nurseClient.api.GET('/contracts/{id}/versions', id);
    expect(versions.data?.items.map((version) => version.version)).toEqual([1, 2, 3]);
    const first = await nurseClient.api.GET('/contracts/{id}/versions/{n}', {
      params: { path: { id: draft.id, n: 1 } },
    });
    expect(first.data).toMatchObject({
      version: 1,
      terms: 'Three 12-hour nights a week.',
      contentHash: draft.contentHash,
    });
    const own = await nurseClient.api.GET('/contracts');
    expect(own.data?.items.map((item) => item.id)).toContain(draft.id);
  });

  it('replays an idempotent create and refuses the same key with another body', async () => {
    const header = { 'Idempotency-Key': `contract-${Date.now()}` };
    const body = { staffId: nurse.staffId, ...content('Idempotent') };
    const first = await recruiter.api.POST('/contracts', { params: { header }, body });
    const again = await recruiter.api.POST('/contracts', { params: { header }, body });
    expect(again.response.status).toBe(201);
    expect(again.data?.id).toBe(first.data?.id);
    const other = await recruiter.api.POST('/contracts', {
      params: { header },
      body: { ...body, title: 'Another' },
    });
    expect(other.response.status).toBe(422);
  });
});

describe('racing transitions', () => {
  it('lets exactly one of 20 concurrent transitions win; the others get 409', async () => {
    // Acknowledge and decline both leave `offered` only, so no loser can follow the winner.
    const created = await recruiter.api.POST('/contracts', {
      body: { staffId: nurse.staffId, ...content('Race'), requiredCredentialTypes: [] },
    });
    const id = { params: { path: { id: created.data?.id ?? '' } } };
    const offered = await recruiter.api.POST('/contracts/{id}/offer', id);
    const { currentVersion = 0, contentHash = '' } = offered.data ?? {};
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        index % 2 === 0
          ? nurseClient.api.POST('/contracts/{id}/acknowledge', {
              ...id,
              body: { version: currentVersion, contentHash },
            })
          : nurseClient.api.POST('/contracts/{id}/decline', { ...id, body: {} }),
      ),
    );
    expect(results.filter((result) => result.response.status === 200)).toHaveLength(1);
    expect(results.filter((result) => result.response.status === 409)).toHaveLength(19);
    const after = await recruiter.api.GET('/contracts/{id}', id);
    expect(after.data?.version).toBe(3);
  });
});

/** Each row: the route, then staff on their own contract, staff on another's, recruiter, credentialing, admin. */
const MATRIX: MatrixRow[] = [
  ['POST /contracts', 403, 403, 'ok', 403, 'ok'],
  ['GET /contracts?staffId=', 'ok', 404, 'ok', 'ok', 'ok'],
  ['GET /contracts/{id}', 'ok', 404, 'ok', 'ok', 'ok'],
  ['PUT /contracts/{id}', 403, 403, 'ok', 403, 'ok'],
  ['GET /contracts/{id}/versions', 'ok', 404, 'ok', 'ok', 'ok'],
  ['GET /contracts/{id}/versions/{n}', 'ok', 404, 'ok', 'ok', 'ok'],
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
    const client = role === 'staff' ? nurseClient : await clientAs(role);
    const owner = variant === 'own' ? nurse : otherNurse;
    const id = variant === 'own' ? contracts.own : contracts.other;
    const [method = 'GET', template = ''] = route.split(' ');
    const [routePath = '', query] = template.split('?');
    const action = routePath.split('/').at(-1) ?? '';
    const body =
      method === 'POST' && routePath === '/contracts'
        ? { staffId: owner.staffId, ...content('Matrix') }
        : method === 'PUT'
          ? content('Matrix edit')
          : BODIES[action];
    const { response, error } = await callRoute(client, `${method} ${routePath}`, {
      path: { id, n: '1' },
      ...(query === 'staffId=' ? { query: { staffId: owner.staffId } } : {}),
      ...(method === 'PUT' ? { header: { 'If-Match': '"999"' } } : {}),
      body,
    });
    const text = JSON.stringify(error);
    if (expected === 'ok') {
      expect(response.status, text).toBeLessThan(500);
      expect([403, 404]).not.toContain(response.status);
    } else {
      expect(response.status, text).toBe(expected);
    }
  });
});
