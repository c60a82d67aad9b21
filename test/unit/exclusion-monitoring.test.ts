/** Monthly exclusion monitoring: approved staff re-screened against the LEIE, hits flagged, one run record. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import { createCheckService } from '#domain/credentialing/checks.ts';
import { createDecisionService } from '#domain/credentialing/decisions.ts';
import { createLeieImporter, createLeieSource } from '#domain/credentialing/leie.ts';
import { createExclusionMonitoring } from '#domain/credentialing/monitoring.ts';
import type { StoredMonitoringRun } from '#domain/credentialing/ports.ts';
import { recordVerification } from '#domain/credentialing/verifications.ts';
import { Forbidden, NotFound, RuleViolation } from '#domain/errors.ts';
import type { StoredStaffProfile } from '#domain/staff/ports.ts';
import {
  contextOf,
  createInMemoryCredentials,
  createInMemoryStaff,
  idSequence,
} from './support/credential-fakes.ts';
import {
  createInMemoryDecisions,
  createInMemoryEvidence,
  createInMemoryExclusions,
  createInMemoryFlags,
  createInMemoryVerifications,
} from './support/credentialing-fakes.ts';

const SAMPLE = readFileSync(join(import.meta.dirname, '../../local/fixtures/leie-sample.csv'), 'utf8');
const NOW = new Date('2025-12-02T07:00:00.000Z');
const system = { actor: SYSTEM_ACTOR, now: NOW, requestId: 'monitoring' };
const credentialing = contextOf('cred-sub', ['credentialing'], NOW);

const profile = (id: string, name: string, extra: Partial<StoredStaffProfile>): StoredStaffProfile => ({
  id,
  userId: `${id}-sub`,
  name,
  email: `${id}@example.org`,
  isActive: true,
  version: 1,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  lastActor: { userId: 'x', roles: [], requestId: 'r', action: 'create' },
  ...extra,
});

let staff: ReturnType<typeof createInMemoryStaff>;
let verifications: ReturnType<typeof createInMemoryVerifications>;
let runs: StoredMonitoringRun[];
let monitoring: ReturnType<typeof createExclusionMonitoring>;
let flags: ReturnType<typeof createInMemoryFlags>;

beforeEach(async () => {
  staff = createInMemoryStaff();
  const approved = {
    credentialingStatus: 'approved',
    recredentialDueAt: '2028-11-01T00:00:00.000Z',
  } as const;
  await staff.repository.create(
    profile('01J0000000000000000000DAN1', 'Daniel Abernathy', { npi: '1205673415', ...approved }),
  );
  await staff.repository.create(profile('01J0000000000000000000HOL1', 'Hollis Vance', approved));
  await staff.repository.create(profile('01J0000000000000000000GRA1', 'Grace Lindqvist', approved));
  await staff.repository.create(profile('01J0000000000000000000QUI1', 'Tomas Quill', {}));
  const exclusions = createInMemoryExclusions();
  await createLeieImporter(exclusions.repository).importFile(system, SAMPLE);
  verifications = createInMemoryVerifications();
  runs = [];
  flags = createInMemoryFlags(staff.repository);
  monitoring = createExclusionMonitoring({
    profiles: staff.repository,
    checks: createCheckService({
      verifications: verifications.repository,
      profiles: staff.repository,
      credentials: createInMemoryCredentials().repository,
      evidence: createInMemoryEvidence().store,
      sources: { leie: createLeieSource(exclusions.repository) },
      newId: idSequence('01J00000000000000000VERIF'),
    }),
    runs: {
      create: async (run) => {
        runs.push(run);
      },
      list: async () => ({ items: [...runs].reverse() }),
    },
    flags: flags.repository,
    newId: idSequence('01J000000000000000000RUN'),
  });
});

describe('exclusion monitoring', () => {
  it('re-screens approved staff only, flags a match and a suspected match, and records the run', async () => {
    const run = await monitoring.run(system);

    expect(run).toMatchObject({
      startedAt: NOW.toISOString(),
      sources: ['leie'],
      checked: 3,
      matches: 1,
      suspected: 1,
      errors: 0,
      flaggedStaffIds: ['01J0000000000000000000DAN1', '01J0000000000000000000HOL1'],
    });
    expect((await staff.repository.get('01J0000000000000000000DAN1'))?.credentialingStatus).toBe('flagged');
    expect((await staff.repository.get('01J0000000000000000000GRA1'))?.credentialingStatus).toBe('approved');
    expect([...verifications.items.values()].map((record) => [record.verifier, record.result])).toEqual([
      ['system', 'match'],
      ['system', 'no_match'],
      ['system', 'suspected'],
    ]);

    const again = await monitoring.run({ ...system, now: new Date('2026-01-02T07:00:00Z') });
    expect(again).toMatchObject({ checked: 1, matches: 0, suspected: 0 });
  });

  it('resolves flags by the id of the record that raised them: cleared approves again, confirmed denies', async () => {
    // Prepare
    await monitoring.run(system);
    const decisions = createDecisionService({
      decisions: createInMemoryDecisions(staff.repository).repository,
      profiles: staff.repository,
      credentials: createInMemoryCredentials().repository,
      verifications: verifications.repository,
      flags: flags.repository,
    });
    const dan = (await staff.repository.get('01J0000000000000000000DAN1')) as StoredStaffProfile;
    const hollis = (await staff.repository.get('01J0000000000000000000HOL1')) as StoredStaffProfile;
    const ownIds = idSequence('01J0000000000000000000OWN');
    const own = async (staffId: string) =>
      (
        await recordVerification(
          verifications.repository,
          credentialing,
          'x',
          {
            subject: { staffId },
            source: 'manual',
            method: 'manual',
            result: 'no_match',
            sourceRef: 'OIG exclusion search by name and DOB',
          },
          ownIds,
        )
      ).id;
    const danCheck = await own(dan.id);
    const body = { outcome: 'cleared', verificationId: danCheck, note: 'not the same person' } as const;

    // Act
    const wrongFlag = decisions.resolveFlag(credentialing, dan.id, danCheck, body);
    const cleared = await decisions.resolveFlag(credentialing, dan.id, dan.credentialingFlagId ?? '', body);
    const confirmed = await decisions
      .resolveFlag(credentialing, hollis.id, hollis.credentialingFlagId ?? '', {
        outcome: 'confirmed',
        verificationId: dan.credentialingFlagId ?? '',
        note: 'x',
      })
      .catch((e) => e);

    // Assess
    await expect(wrongFlag).rejects.toBeInstanceOf(NotFound);
    expect(cleared).toEqual({ id: dan.id, credentialingStatus: 'approved' });
    expect(await staff.repository.get(dan.id)).toMatchObject({
      credentialingStatus: 'approved',
      recredentialDueAt: '2028-11-01T00:00:00.000Z',
      lastFlagResolution: { flagId: dan.credentialingFlagId, outcome: 'cleared', verificationId: danCheck },
    });
    expect(await staff.repository.get(dan.id)).not.toHaveProperty('credentialingFlagId');
    // Another staff member's record does not resolve Hollis's flag; Hollis's own does.
    expect(confirmed).toBeInstanceOf(RuleViolation);
    const hollisCheck = await own(hollis.id);
    await decisions.resolveFlag(credentialing, hollis.id, hollis.credentialingFlagId ?? '', {
      outcome: 'confirmed',
      verificationId: hollisCheck,
      note: 'x',
    });
    expect((await staff.repository.get(hollis.id))?.credentialingStatus).toBe('denied');
    // Both flags left the open queue, each with who resolved it and how.
    expect(flags.items.get(dan.credentialingFlagId ?? '')).toMatchObject({
      status: 'cleared',
      resolvedBy: 'cred-sub',
      version: 2,
    });
    expect(flags.items.get(hollis.credentialingFlagId ?? '')).toMatchObject({ status: 'confirmed' });
    expect((await monitoring.listFlags(credentialing, 'open', { limit: 10 })).items).toEqual([]);
  });

  it('puts each flag on the credentialing work queue with the flagged profile, listed to credentialing only', async () => {
    // Act
    await monitoring.run(system);
    const queue = await monitoring.listFlags(credentialing, 'open', { limit: 10 });
    const dan = await staff.repository.get('01J0000000000000000000DAN1');

    // Assess
    expect(
      queue.items.map(({ staffName, source, result, status }) => [staffName, source, result, status]),
    ).toEqual([
      ['Daniel Abernathy', 'leie', 'match', 'open'],
      ['Hollis Vance', 'leie', 'suspected', 'open'],
    ]);
    expect(queue.items[0]).toMatchObject({
      id: dan?.credentialingFlagId,
      staffId: dan?.id,
      raisedAt: NOW.toISOString(),
    });
    expect(queue.items[0]).not.toHaveProperty('ownerUserId');
    for (const roles of [['recruiter'], ['staff']] as const) {
      await expect(
        monitoring.listFlags(contextOf('x', [...roles]), 'open', { limit: 10 }),
      ).rejects.toBeInstanceOf(Forbidden);
    }
  });

  it('lists runs to credentialing and admin only', async () => {
    await monitoring.run(system);
    const listed = await monitoring.list(contextOf('c', ['credentialing']), { limit: 10 });
    expect(listed.items).toHaveLength(1);
    await expect(monitoring.list(contextOf('r', ['recruiter']), { limit: 10 })).rejects.toBeInstanceOf(
      Forbidden,
    );
  });
});
