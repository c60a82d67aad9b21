/**
 * Demo credentialing files: staff whose NPIs the twin's NPPES fixtures answer — Grace Lindqvist
 * (a match) and Leo Martinez (the registry says LEONARDO: a `no_match` on name) — and two
 * approvals with evidence: Grace, and Daniel Abernathy, screened clean against October's LEIE
 * and then listed by November's sample file (`local/fixtures/leie-sample.csv`), whom
 * monitoring flags once it runs. Written through the services; a second run finds Grace invited
 * and adds nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { exclusionRepository } from '#data/leie.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createLeieImporter } from '#domain/credentialing/leie.ts';
import { addDays, dayOf } from '#domain/credentials/days.ts';
import { Conflict } from '#domain/errors.ts';
import { createUsersService } from '#domain/identity/users-service.ts';
import { createStaffProfileProvisioner, createStaffService } from '#domain/staff/service.ts';
import { checkService as checks, decisionService as decisions } from '#shared/services/credentialing.ts';
import { credentialService as credentials } from '#shared/services/credentials.ts';
import type { DemoContext, DemoSeeder } from '../seed.ts';

const SAMPLE_LEIE = readFileSync(join(import.meta.dirname, '../../local/fixtures/leie-sample.csv'), 'utf8');
/** October's file: the sample without November's exclusions. */
const OCTOBER_LEIE = SAMPLE_LEIE.split('\n')
  .filter((line) => !/,202511\d\d,/.test(line))
  .join('\n');

const staff = createStaffService({
  profiles: staffProfileRepository,
  users: cognitoIdentity,
  accessEvents: accessEventRepository,
});
const users = createUsersService({
  identity: cognitoIdentity,
  accessEvents: accessEventRepository,
  profiles: createStaffProfileProvisioner({ profiles: staffProfileRepository }),
});
const leie = createLeieImporter(exclusionRepository);

const DEMO_FILES = [
  { email: 'grace.lindqvist@shiftline.test', name: 'Grace Lindqvist', npi: '1938475625', approve: true },
  { email: 'leo.martinez@shiftline.test', name: 'Leo Martinez', npi: '1769382015', approve: false },
  { email: 'daniel.abernathy@shiftline.test', name: 'Daniel Abernathy', npi: '1205673415', approve: true },
] as const;

/** Invites the member, gives the profile its NPI and an RN licence verified by a board lookup. */
const openFile = async (demo: DemoContext, member: (typeof DEMO_FILES)[number]) => {
  const user = await users.invite(demo.as('recruiter'), {
    email: member.email,
    name: member.name,
    roles: ['staff'],
  });
  const staffId = (await staff.profileIdOfUser(user.id)) ?? '';
  await staff.update(demo.as('recruiter'), staffId, 1, { npi: member.npi, specialty: 'Emergency' });
  const rn = await credentials.create(demo.as('recruiter'), staffId, {
    type: 'RN',
    issuedBy: 'State Board of Nursing',
    expiryDate: addDays(dayOf(demo.now), 400),
  });
  const verified = await credentials.decide(demo.as('credentialing'), rn.id, {
    transition: 'verify',
    method: 'State board licence lookup',
  });
  return { staffId, licenceCheck: verified.verification?.verificationId ?? '' };
};

const seed: DemoSeeder = async (demo) => {
  const as = demo.as('credentialing');
  const files: Array<{ staffId: string; licenceCheck: string; approve: boolean }> = [];
  try {
    for (const member of DEMO_FILES)
      files.push({ ...(await openFile(demo, member)), approve: member.approve });
  } catch (error) {
    // Seeded before: the files are there.
    if (error instanceof Conflict) return;
    throw error;
  }
  await leie.importFile(as, OCTOBER_LEIE, '2025-10');
  for (const file of files) {
    const nppes = await checks.run(as, file.staffId, 'nppes');
    const screen = await checks.run(as, file.staffId, 'leie');
    if (!file.approve) continue;
    await decisions.decide(as, file.staffId, {
      outcome: 'approved',
      verificationIds: [nppes.id, screen.id, file.licenceCheck],
      note: 'Primary sources verified',
    });
  }
  // November's file lists Daniel Abernathy: monitoring flags him when it next runs.
  await leie.importFile(as, SAMPLE_LEIE);
};

export default seed;
