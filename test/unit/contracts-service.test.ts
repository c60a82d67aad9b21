import { describe, expect, it } from 'vitest';
import { createContractsService } from '#domain/contracts/service.ts';
import { Conflict, Forbidden, NotFound, PreconditionFailed, RuleViolation } from '#domain/errors.ts';
import { ContractContentSchema } from '#domain/schemas/contracts.ts';
import {
  contextOf,
  createInMemoryContracts,
  createStaffDirectory,
  sequentialIds,
} from './support/scheduling-fakes.ts';

const STAFF_ID = '01JSTAFF00000000000000000A';
const OTHER_STAFF_ID = '01JSTAFF00000000000000000B';
const recruiter = contextOf('recruiter-sub', ['recruiter']);
const staffMember = contextOf('staff-sub', ['staff']);
const otherStaff = contextOf('other-sub', ['staff']);
const credentialing = contextOf('cred-sub', ['credentialing']);

const terms = (overrides: Record<string, unknown> = {}) =>
  ContractContentSchema.parse({
    title: 'Med-surg, 8 weeks',
    terms: 'Days, 4×10h.',
    startDate: '2026-04-06',
    endDate: '2026-05-29',
    requiredCredentialTypes: ['RN'],
    ...overrides,
  });

const setup = () => {
  const store = createInMemoryContracts();
  const directory = createStaffDirectory();
  directory.owners.set(STAFF_ID, 'staff-sub');
  directory.owners.set(OTHER_STAFF_ID, 'other-sub');
  directory.held.set(STAFF_ID, [{ type: 'RN', status: 'active' }]);
  const service = createContractsService({
    contracts: store.repository,
    staff: directory.staff,
    credentials: directory.credentials,
    newId: sequentialIds,
  });
  const draft = () => service.create(recruiter, { staffId: STAFF_ID, ...terms() });
  return { store, directory, service, draft };
};

describe('contracts service: create and read', () => {
  it('creates a draft at version 1 with its first version item and the owner sub', async () => {
    const { store, draft } = setup();
    const contract = await draft();
    expect(contract).toMatchObject({ status: 'draft', currentVersion: 1, version: 1, staffId: STAFF_ID });
    expect(contract.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(store.heads.get(contract.id)).toMatchObject({
      ownerUserId: 'staff-sub',
      lastActor: { userId: 'recruiter-sub', action: 'create', requestId: 'req-recruiter-sub' },
    });
    expect(store.versions.get(contract.id)).toEqual([
      expect.objectContaining({ version: 1, contentHash: contract.contentHash, createdBy: 'recruiter-sub' }),
    ]);
    expect(contract).not.toHaveProperty('ownerUserId');
  });

  it('refuses a contract for a staff id with no profile (422)', async () => {
    const { service } = setup();
    await expect(
      service.create(recruiter, { staffId: '01JNOBODY0000000000000000Z', ...terms() }),
    ).rejects.toThrow(RuleViolation);
  });

  it('hides another staff member’s contract from staff and shows it to the agency', async () => {
    const { service, draft } = setup();
    const { id } = await draft();
    await expect(service.get(otherStaff, id)).rejects.toThrow(NotFound);
    await expect(service.get(staffMember, id)).resolves.toMatchObject({ id });
    await expect(service.get(credentialing, id)).resolves.toMatchObject({ id });
  });

  it('scopes staff lists to their own; another staff id is 404', async () => {
    const { service, draft } = setup();
    await draft();
    await service.create(recruiter, { staffId: OTHER_STAFF_ID, ...terms() });
    const own = await service.list(staffMember, { limit: 25 });
    expect(own.items.map((item) => item.staffId)).toEqual([STAFF_ID]);
    await expect(service.list(staffMember, { limit: 25, staffId: OTHER_STAFF_ID })).rejects.toThrow(NotFound);
    const all = await service.list(recruiter, { limit: 25 });
    expect(all.items).toHaveLength(2);
    const drafts = await service.list(recruiter, { limit: 25, staffId: OTHER_STAFF_ID, status: 'draft' });
    expect(drafts.items.map((item) => item.staffId)).toEqual([OTHER_STAFF_ID]);
  });
});

describe('contracts service: versions', () => {
  it('writes a new version on new terms and keeps an offered contract offered', async () => {
    const { service, store, draft } = setup();
    const created = await draft();
    const offered = await service.transition(recruiter, created.id, 'offer');
    const edited = await service.revise(recruiter, created.id, offered.version, terms({ terms: 'Nights.' }));
    expect(edited).toMatchObject({ status: 'offered', currentVersion: 2, version: 3 });
    expect(edited.contentHash).not.toBe(created.contentHash);
    expect(store.versions.get(created.id)?.map((entry) => entry.version)).toEqual([1, 2]);
    expect((await service.getVersion(staffMember, created.id, 1)).terms).toBe('Days, 4×10h.');
    await expect(service.getVersion(staffMember, created.id, 3)).rejects.toThrow(NotFound);
  });

  it('answers unchanged content with the contract as it is (no new version)', async () => {
    const { service, store, draft } = setup();
    const created = await draft();
    const same = await service.revise(recruiter, created.id, 1, terms());
    expect(same).toEqual(created);
    expect(store.versions.get(created.id)).toHaveLength(1);
  });

  it('refuses a stale If-Match (412) and an edit after acknowledgement (409)', async () => {
    const { service, draft } = setup();
    const created = await draft();
    await service.transition(recruiter, created.id, 'offer');
    await expect(service.revise(recruiter, created.id, 1, terms({ title: 'New' }))).rejects.toThrow(
      PreconditionFailed,
    );
    const current = await service.get(staffMember, created.id);
    const acknowledged = await service.transition(staffMember, created.id, 'acknowledge', {
      acknowledges: { version: current.currentVersion, contentHash: current.contentHash },
    });
    await expect(
      service.revise(recruiter, created.id, acknowledged.version, terms({ title: 'New' })),
    ).rejects.toMatchObject({ status: 409, currentState: 'acknowledged' });
  });
});

describe('contracts service: transitions', () => {
  it('refuses an acknowledgement of an older version or hash (409) and records the current one', async () => {
    const { service, draft } = setup();
    const v1 = await draft();
    await service.transition(recruiter, v1.id, 'offer');
    const v2 = await service.revise(recruiter, v1.id, 2, terms({ terms: 'Edited after the offer.' }));
    await expect(
      service.transition(staffMember, v1.id, 'acknowledge', {
        acknowledges: { version: 1, contentHash: v1.contentHash },
      }),
    ).rejects.toThrow(/Stale acknowledgement/);
    await expect(
      service.transition(staffMember, v1.id, 'acknowledge', {
        acknowledges: { version: 2, contentHash: v1.contentHash },
      }),
    ).rejects.toThrow(Conflict);
    const acknowledged = await service.transition(staffMember, v1.id, 'acknowledge', {
      acknowledges: { version: 2, contentHash: v2.contentHash },
    });
    expect(acknowledged.acknowledgement).toEqual({
      by: 'staff-sub',
      at: staffMember.now.toISOString(),
      version: 2,
      contentHash: v2.contentHash,
    });
  });

  it('lets only the contract’s staff member acknowledge (others 404, the agency 403)', async () => {
    const { service, draft } = setup();
    const created = await draft();
    await service.transition(recruiter, created.id, 'offer');
    const acknowledges = { version: 1, contentHash: created.contentHash };
    await expect(service.transition(otherStaff, created.id, 'acknowledge', { acknowledges })).rejects.toThrow(
      NotFound,
    );
    await expect(service.transition(recruiter, created.id, 'acknowledge', { acknowledges })).rejects.toThrow(
      Forbidden,
    );
  });

  it('gates acknowledge and activate on active credentials through the end date (422)', async () => {
    const { service, directory, draft } = setup();
    const created = await draft();
    await service.transition(recruiter, created.id, 'offer');
    directory.held.set(STAFF_ID, [{ type: 'RN', status: 'pending' }]);
    const acknowledges = { version: 1, contentHash: created.contentHash };
    await expect(
      service.transition(staffMember, created.id, 'acknowledge', { acknowledges }),
    ).rejects.toMatchObject({
      status: 422,
      details: { missingCredentialTypes: ['RN'], expiringCredentials: [] },
    });
    directory.held.set(STAFF_ID, [{ type: 'RN', status: 'active' }]);
    await service.transition(staffMember, created.id, 'acknowledge', { acknowledges });
    directory.held.set(STAFF_ID, [{ type: 'RN', status: 'active', expiryDate: '2026-05-28' }]);
    await expect(service.transition(recruiter, created.id, 'activate')).rejects.toMatchObject({
      status: 422,
      details: { expiringCredentials: [{ type: 'RN', expiryDate: '2026-05-28' }] },
    });
    directory.held.set(STAFF_ID, [{ type: 'RN', status: 'active', expiryDate: '2026-05-29' }]);
    await expect(service.transition(recruiter, created.id, 'activate')).resolves.toMatchObject({
      status: 'active',
    });
    const completed = await service.transition(recruiter, created.id, 'complete');
    expect(completed).toMatchObject({ status: 'completed', version: 5 });
  });

  it('names the current state when a transition is not allowed (409)', async () => {
    const { service, draft } = setup();
    const created = await draft();
    await expect(service.transition(recruiter, created.id, 'activate')).rejects.toMatchObject({
      status: 409,
      currentState: 'draft',
    });
  });

  it('lets one of two racing transitions win; the loser gets 409 with the new state', async () => {
    const { service, store, draft } = setup();
    const created = await draft();
    const race = await Promise.allSettled([
      service.transition(recruiter, created.id, 'offer'),
      service.transition(recruiter, created.id, 'withdraw'),
    ]);
    expect(race.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const lost = race.find((result) => result.status === 'rejected');
    expect(lost?.reason).toBeInstanceOf(Conflict);
    expect(store.heads.get(created.id)?.version).toBe(2);
  });

  it('stamps the transition as the audit action; a draft cannot be declined', async () => {
    const { service, store, draft } = setup();
    const created = await draft();
    await service.transition(recruiter, created.id, 'withdraw');
    expect(store.heads.get(created.id)?.lastActor.action).toBe('withdraw');
    const second = await draft();
    await expect(
      service.transition(staffMember, second.id, 'decline', { reason: 'no' }),
    ).rejects.toMatchObject({
      currentState: 'draft',
    });
  });
});
