/**
 * The FHIR R4 export: valid against the official R4 JSON schema (fhir.schema.json), the NPI under
 * its US system, a qualification per active credential, the date of birth only to those who may
 * see it, and every export an audited access event.
 */
import { createRequire } from 'node:module';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AccessEvent } from '#domain/access-events.ts';
import type { StoredCredential } from '#domain/credentials/ports.ts';
import { NotFound } from '#domain/errors.ts';
import { createFhirExport } from '#domain/fhir/export.ts';
import { US_NPI_SYSTEM, uuidOfUlid } from '#domain/fhir/practitioner.ts';
import type { StoredStaffProfile } from '#domain/staff/ports.ts';
import {
  contextOf,
  createInMemoryCredentials,
  createInMemoryStaff,
  idSequence,
} from './support/credential-fakes.ts';

const require = createRequire(import.meta.url);
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown): unknown[];
};
const validator = new JSONSchemaValidator();

const STAFF_ID = '01J0000000000000000000GRA1';
const NOW = new Date('2026-03-02T09:00:00.000Z');
const meta = {
  version: 2,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  lastActor: { userId: 'x', roles: [], requestId: 'r', action: 'verify' },
};

const profile: StoredStaffProfile = {
  id: STAFF_ID,
  userId: 'grace-sub',
  name: 'Grace Ann Lindqvist',
  email: 'grace@example.org',
  phone: '+1 555 0100',
  specialty: 'ICU',
  npi: '1245319599',
  dateOfBirth: '1988-04-12',
  isActive: true,
  credentialingStatus: 'approved',
  ...meta,
  version: 1,
};

const credential = (id: string, extra: Partial<StoredCredential>): StoredCredential => ({
  id,
  staffId: STAFF_ID,
  ownerUserId: 'grace-sub',
  type: 'RN',
  status: 'active',
  expiryWarning: null,
  ...meta,
  ...extra,
});

let events: AccessEvent[];
let fhir: ReturnType<typeof createFhirExport>;

beforeEach(async () => {
  const staff = createInMemoryStaff();
  await staff.repository.create(profile);
  const credentials = createInMemoryCredentials();
  await credentials.repository.create(
    credential('01J0000000000000000000CRD1', {
      number: 'RN-448812',
      issuedBy: 'Minnesota Board of Nursing',
      jurisdiction: 'MN',
      issueDate: '2024-05-01',
      expiryDate: '2027-04-30',
    }),
  );
  await credentials.repository.create(credential('01J0000000000000000000CRD2', { type: 'BLS' }));
  await credentials.repository.create(
    credential('01J0000000000000000000CRD3', { type: 'ACLS', status: 'pending' }),
  );
  events = [];
  fhir = createFhirExport({
    profiles: staff.repository,
    credentials: credentials.repository,
    accessEvents: { record: async (event) => void events.push(event) },
    newId: idSequence('01J000000000000000000EVT'),
  });
});

describe('FHIR R4 export', () => {
  it('is a Bundle valid against the official FHIR R4 JSON schema, every resource too', async () => {
    // Act
    const bundle = await fhir.practitioner(contextOf('cred-sub', ['credentialing'], NOW), STAFF_ID);

    // Assess
    expect(validator.validate(bundle)).toEqual([]);
    for (const { resource } of bundle.entry) expect(validator.validate(resource)).toEqual([]);
    expect(bundle.entry.map((entry) => entry.resource.resourceType)).toEqual([
      'Practitioner',
      'PractitionerRole',
    ]);
  });

  it('names the NPI under the US NPI system and qualifies each active credential with issuer and period', async () => {
    // Act
    const bundle = await fhir.practitioner(contextOf('cred-sub', ['credentialing'], NOW), STAFF_ID);
    const [practitioner, role] = bundle.entry;

    // Assess
    expect(practitioner?.fullUrl).toBe(`urn:uuid:${uuidOfUlid(STAFF_ID)}`);
    expect(practitioner?.resource).toMatchObject({
      identifier: expect.arrayContaining([{ use: 'official', system: US_NPI_SYSTEM, value: '1245319599' }]),
      name: [{ use: 'official', family: 'Lindqvist', given: ['Grace', 'Ann'] }],
      active: true,
      qualification: [
        {
          identifier: [{ value: 'RN-448812', assigner: { display: 'MN' } }],
          code: { text: 'RN' },
          period: { start: '2024-05-01', end: '2027-04-30' },
          issuer: { display: 'Minnesota Board of Nursing, MN' },
        },
        { code: { text: 'BLS' } },
      ],
    });
    expect(role?.resource).toMatchObject({
      resourceType: 'PractitionerRole',
      practitioner: { reference: practitioner?.fullUrl },
      specialty: [{ text: 'ICU' }],
    });
    expect(role?.fullUrl).not.toBe(practitioner?.fullUrl);
  });

  it('shows the date of birth as the profile does, and audits every export', async () => {
    // Act
    const toCredentialing = await fhir.practitioner(contextOf('cred-sub', ['credentialing'], NOW), STAFF_ID);
    const toRecruiter = await fhir.practitioner(contextOf('rec-sub', ['recruiter'], NOW), STAFF_ID);
    const toOwner = await fhir.practitioner(contextOf('grace-sub', ['staff'], NOW), STAFF_ID);
    const toOtherStaff = fhir.practitioner(contextOf('other-sub', ['staff'], NOW), STAFF_ID);

    // Assess
    expect(toCredentialing.entry[0]?.resource.birthDate).toBe('1988-04-12');
    expect(toRecruiter.entry[0]?.resource).not.toHaveProperty('birthDate');
    expect(toOwner.entry[0]?.resource.birthDate).toBe('1988-04-12');
    await expect(toOtherStaff).rejects.toBeInstanceOf(NotFound);
    expect(
      events.map((event) => [event.lastActor.userId, event.action, event.entityId, event.summary]),
    ).toEqual([
      [
        'cred-sub',
        'read.fhir',
        STAFF_ID,
        `FHIR export of staff profile ${STAFF_ID} read with the date of birth`,
      ],
      ['rec-sub', 'read.fhir', STAFF_ID, `FHIR export of staff profile ${STAFF_ID} read`],
      [
        'grace-sub',
        'read.fhir',
        STAFF_ID,
        `FHIR export of staff profile ${STAFF_ID} read with the date of birth`,
      ],
    ]);
  });

  it('writes a ULID as the UUID of the same 128 bits', () => {
    expect(uuidOfUlid('00000000000000000000000000')).toBe('00000000-0000-0000-0000-000000000000');
    expect(uuidOfUlid('7ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
  });
});
