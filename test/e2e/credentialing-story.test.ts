/**
 * The whole credentialing story on the twin, one staff member: NPI check → LEIE screen →
 * decision → monthly monitoring (fired through the twin's scheduler at a chosen time) → flagged
 * on a LEIE match after a change of name (live to credentialing and to her; contract
 * acknowledgements held) → resolved → recredentialing warnings from the daily sweep; every step a
 * record with its source and evidence, and the file exported as FHIR. Then who may call the new routes.
 */
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#domain/roles.ts';
import { newStaffMember, type StaffMember } from './support/staff-members.ts';
import { api, eventually, loginAs, openWs, twin } from './support/twin.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

const ROLES: Role[] = ['staff', 'recruiter', 'credentialing', 'admin'];
const token = async (role: Role) => (await loginAs(role)).idToken;
// A fixture of the twin's NPPES stub (fictitious): Dagny Lund, RN, Washington.
const NPI = '1847263906';
const DAY = 86_400_000;

const fire = async (schedule: string, time: string) => {
  const response = await fetch(`${twin().urls.scheduler}/schedules/${schedule}/fire`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ time }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json() as Promise<Record<string, unknown>>;
};

const patchProfile = async (staffId: string, sessionToken: string, body: unknown) => {
  const current = await api(`/staff/${staffId}`, { token: sessionToken });
  const patched = await api(`/staff/${staffId}`, {
    method: 'PATCH',
    token: sessionToken,
    body,
    headers: { 'if-match': current.headers.get('etag') ?? '' },
  });
  expect(patched.status, patched.text).toBe(200);
  return patched.body;
};

let dagny: StaffMember;

beforeAll(async () => {
  dagny = await newStaffMember('story');
  await patchProfile(dagny.staffId, await token('admin'), {
    name: 'Dagny Lund',
    npi: NPI,
    dateOfBirth: '1979-03-12',
    specialty: 'ICU',
  });
});

describe('a credentialing file from first check to recredentialing', () => {
  it('runs NPI check → LEIE screen → decision → monitoring → flag → resolution → recredentialing warning', async () => {
    const credentialing = await token('credentialing');
    const post = (path: string, body?: unknown, as = credentialing) =>
      api(path, { method: 'POST', token: as, body });

    // NPI check and LEIE screen, each a record with evidence kept in the documents bucket.
    const nppes = await post(`/staff/${dagny.staffId}/checks/nppes`);
    expect(nppes.body, nppes.text).toMatchObject({ source: 'nppes', method: 'api', result: 'match' });
    expect(nppes.body.evidence.snapshotKey).toBe(`evidence/nppes/${nppes.body.evidence.sha256}.json`);
    const leie = await post(`/staff/${dagny.staffId}/checks/leie`);
    expect(leie.body, leie.text).toMatchObject({ source: 'leie', method: 'file', result: 'no_match' });
    expect(leie.body.evidence.snapshotKey).toBe(`evidence/leie/${leie.body.evidence.sha256}.json`);

    // The decision rests on both.
    const approved = await post(`/staff/${dagny.staffId}/decisions`, {
      outcome: 'approved',
      verificationIds: [nppes.body.id, leie.body.id],
      note: 'file complete',
    });
    expect(approved.status, approved.text).toBe(201);
    const dueAt = approved.body.recredentialDueAt as string;

    // She marries and takes her name back: the OIG list names a Dagny Halvorsen born that day.
    await patchProfile(dagny.staffId, dagny.session.idToken, { name: 'Dagny Halvorsen' });
    const deskSocket = await openWs(credentialing);
    const ownSocket = await openWs(dagny.session.idToken);
    const agencySystem = await startWebhookReceiver(await token('admin'), ['staff.flagged']);
    try {
      const monthly = new Date(Date.now() + DAY).toISOString().slice(0, 10);
      const run = await fire('exclusionMonitoring', `${monthly}T07:00:00Z`);
      expect(run).toMatchObject({ startedAt: `${monthly}T07:00:00.000Z`, sources: ['leie'] });
      expect(run.flaggedStaffIds).toContain(dagny.staffId);

      // Flagged: live to credentialing and to her, on the work queue, acknowledgements held.
      const isHers = (frame: { type?: string; staffId?: string; flagId?: string; raisedAt?: string }) =>
        frame.type === 'staff.flagged' && frame.staffId === dagny.staffId;
      const toDesk = await deskSocket.next(isHers, 20_000);
      expect(toDesk).toMatchObject({ source: 'leie', result: 'match' });
      expect(await ownSocket.next(isHers, 20_000)).toEqual(toDesk);

      // And signed to the agency's own system, ids and states only (no name, no date of birth).
      const hersDelivered = () =>
        agencySystem.received.filter((hook) => hook.payload.data.staffId === dagny.staffId);
      await expect.poll(() => hersDelivered().length, eventually).toBe(1);
      const [delivered] = hersDelivered();
      expect(
        new Webhook(agencySystem.secret).verify(delivered?.body ?? '', delivered?.headers ?? {}),
      ).toEqual({
        type: 'staff.flagged',
        timestamp: expect.any(String),
        data: {
          flagId: toDesk.flagId,
          staffId: dagny.staffId,
          source: 'leie',
          result: 'match',
          status: 'open',
          raisedAt: toDesk.raisedAt,
        },
      });
      expect(delivered?.body).not.toMatch(/Dagny|Halvorsen|1979/);
    } finally {
      await deskSocket.close();
      await ownSocket.close();
      await agencySystem.close();
    }
    const flagged = await api(`/staff/${dagny.staffId}`, { token: credentialing });
    expect(flagged.body).toMatchObject({ credentialingStatus: 'flagged' });
    const flagId = flagged.body.credentialingFlagId as string;
    const queue = await api('/credentialing-flags?limit=100', { token: credentialing });
    expect(queue.body.items.find((flag: { id: string }) => flag.id === flagId)).toMatchObject({
      staffId: dagny.staffId,
      staffName: 'Dagny Halvorsen',
      source: 'leie',
      result: 'match',
      status: 'open',
    });
    const screen = await api(`/staff/${dagny.staffId}/verifications?limit=100`, { token: credentialing });
    expect(screen.body.items.find((record: { id: string }) => record.id === flagId)).toMatchObject({
      source: 'leie',
      result: 'match',
      verifier: 'system',
      evidence: { snapshotKey: expect.stringMatching(/^evidence\/leie\//) },
    });

    const recruiter = await token('recruiter');
    const contract = await api('/contracts', {
      method: 'POST',
      token: recruiter,
      body: {
        staffId: dagny.staffId,
        title: 'ICU days, 8 weeks',
        terms: 'Four 10-hour days a week.',
        startDate: new Date(Date.now() + 14 * DAY).toISOString().slice(0, 10),
        endDate: new Date(Date.now() + 70 * DAY).toISOString().slice(0, 10),
        rate: { amountCents: 6900, currency: 'USD', per: 'hour' },
        location: 'Mercy General, ICU',
      },
    });
    expect(contract.status, contract.text).toBe(201);
    expect((await post(`/contracts/${contract.body.id}/offer`, undefined, recruiter)).status).toBe(200);
    const seen = { version: contract.body.currentVersion, contentHash: contract.body.contentHash };
    const held = await post(`/contracts/${contract.body.id}/acknowledge`, seen, dagny.session.idToken);
    expect(held.status, held.text).toBe(422);
    expect(held.body.details).toEqual({ credentialingFlagId: flagId });

    // Credentialing checks the OIG record by hand: another person. The approval stands again.
    const ownCheck = await post(`/staff/${dagny.staffId}/verifications`, {
      sourceRef: 'OIG exclusion search: SSN and address differ',
      result: 'no_match',
      note: 'a different Dagny Halvorsen',
    });
    const resolved = await post(`/staff/${dagny.staffId}/flags/${flagId}/resolve`, {
      outcome: 'cleared',
      verificationId: ownCheck.body.id,
      note: 'not the excluded person',
    });
    expect(resolved.body, resolved.text).toEqual({ id: dagny.staffId, credentialingStatus: 'approved' });
    const cleared = await api('/credentialing-flags?status=cleared&limit=100', { token: credentialing });
    expect(cleared.body.items.map((flag: { id: string }) => flag.id)).toContain(flagId);
    const acknowledged = await post(
      `/contracts/${contract.body.id}/acknowledge`,
      seen,
      dagny.session.idToken,
    );
    expect(acknowledged.status, acknowledged.text).toBe(200);

    // Thirty days before recredentialing is due, the daily sweep warns; a rerun changes nothing.
    const warnDay = new Date(Date.parse(dueAt) - 30 * DAY).toISOString().slice(0, 10);
    const warned = await fire('recredentialingSweep', `${warnDay}T06:15:00Z`);
    expect(warned.warned).toBeGreaterThanOrEqual(1);
    const again = await fire('recredentialingSweep', `${warnDay}T06:15:00Z`);
    expect(again).toMatchObject({ warned: 0, overdue: 0 });
    expect((await api(`/staff/${dagny.staffId}`, { token: credentialing })).body).toMatchObject({
      credentialingStatus: 'approved',
      recredentialWarning: 30,
    });

    // The ledger tells the story of the file.
    await expect
      .poll(async () => {
        const chain = await api(`/audit/StaffProfile/${dagny.staffId}`, { token: credentialing });
        return chain.body.items?.map((entry: { action: string }) => entry.action);
      }, eventually)
      .toEqual(expect.arrayContaining(['decide', 'flag', 'resolveFlag', 'warn']));
  });

  it('exports the file as FHIR R4 with the NPI and audits the export', async () => {
    const credentialing = await token('credentialing');
    const exported = await api(`/staff/${dagny.staffId}/fhir`, { token: credentialing });
    expect(exported.status, exported.text).toBe(200);
    expect(exported.body.entry[0].resource).toMatchObject({
      resourceType: 'Practitioner',
      identifier: expect.arrayContaining([
        { use: 'official', system: 'http://hl7.org/fhir/sid/us-npi', value: NPI },
      ]),
      birthDate: '1979-03-12',
    });
    expect(exported.body.entry[1].resource).toMatchObject({
      resourceType: 'PractitionerRole',
      specialty: [{ text: 'ICU' }],
    });
    const asRecruiter = await api(`/staff/${dagny.staffId}/fhir`, { token: await token('recruiter') });
    expect(asRecruiter.body.entry[0].resource).not.toHaveProperty('birthDate');
    await expect
      .poll(async () => {
        const chain = await api(`/audit/StaffProfile/${dagny.staffId}`, { token: await token('admin') });
        return chain.body.items?.filter((entry: { action: string }) => entry.action === 'read.fhir').length;
      }, eventually)
      .toBeGreaterThanOrEqual(2);
  });
});

describe('access matrix of the new routes', () => {
  let ownStaffId: string;
  beforeAll(async () => {
    ownStaffId = (await api('/me', { token: await token('staff') })).body.staffProfileId;
  });
  // Expected status per role (staff, recruiter, credentialing, admin), own file and another's.
  const MATRIX: Array<{ route: string; own: number[]; other: number[] }> = [
    { route: 'GET /credentialing-flags', own: [403, 403, 200, 200], other: [403, 403, 200, 200] },
    { route: 'GET /staff/{id}/fhir', own: [200, 200, 200, 200], other: [404, 200, 200, 200] },
  ];
  const cases = MATRIX.flatMap(({ route, own, other }) =>
    ROLES.flatMap((role, index) => [
      { route, role, whose: 'own', expected: own[index] },
      { route, role, whose: 'other', expected: other[index] },
    ]),
  );

  it.each(cases)('$route by $role on $whose → $expected', async ({ route, role, whose, expected }) => {
    const staffId = whose === 'own' ? ownStaffId : dagny.staffId;
    const [method = 'GET', template = ''] = route.split(' ');
    const response = await api(template.replace('{id}', staffId), { method, token: await token(role) });
    expect(response.status, response.text).toBe(expected);
  });
});
