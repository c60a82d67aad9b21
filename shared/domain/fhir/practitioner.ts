/**
 * A staff member as FHIR R4 hands them to a hospital: a `collection` Bundle of a Practitioner
 * (names, the NPI under its US system, telecom, date of birth when the reader may see it, a
 * qualification per active credential with its issuer and period) and a PractitionerRole
 * (specialty, active). Pure: the caller decides what the reader may see.
 */
import type { StoredCredential } from '../credentials/ports.ts';
import type { FhirBundle } from '../schemas/fhir.ts';
import type { StaffProfile } from '../schemas/staff.ts';

export const US_NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
/** Shiftline's own ids, so a hospital can come back for the same person. */
export const STAFF_ID_SYSTEM = 'urn:shiftline:staff-profile';

type FhirResource = FhirBundle['entry'][number]['resource'];

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID's 128 bits written as a UUID, so entries can name each other as `urn:uuid:`. */
export const uuidOfUlid = (ulid: string): string => {
  let value = 0n;
  for (const char of ulid.toUpperCase()) {
    const digit = CROCKFORD.indexOf(char);
    if (digit < 0) throw new Error('not a ULID');
    value = value * 32n + BigInt(digit);
  }
  const hex = value.toString(16).padStart(32, '0');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
};

/** FHIR's HumanName: the last word the family name, the others given names. */
const humanName = (name: string) => {
  const words = name.trim().split(/\s+/);
  const family = words.at(-1) ?? name;
  return { use: 'official', text: name, family, ...(words.length > 1 ? { given: words.slice(0, -1) } : {}) };
};

const qualificationOf = (credential: StoredCredential) => {
  const period = {
    ...(credential.issueDate ? { start: credential.issueDate } : {}),
    ...(credential.expiryDate ? { end: credential.expiryDate } : {}),
  };
  const issuer = [credential.issuedBy, credential.jurisdiction].filter(Boolean).join(', ');
  return {
    ...(credential.number
      ? {
          identifier: [
            {
              value: credential.number,
              ...(credential.jurisdiction ? { assigner: { display: credential.jurisdiction } } : {}),
            },
          ],
        }
      : {}),
    code: { text: credential.type },
    ...(Object.keys(period).length > 0 ? { period } : {}),
    ...(issuer ? { issuer: { display: issuer } } : {}),
  };
};

/** What the export shows of a profile: `dateOfBirth` only when the reader may see it. */
export type ExportedProfile = Pick<
  StaffProfile,
  'id' | 'name' | 'npi' | 'phone' | 'email' | 'isActive' | 'specialty' | 'dateOfBirth'
>;

export const practitionerBundle = (
  profile: ExportedProfile,
  activeCredentials: readonly StoredCredential[],
  now: Date,
): FhirBundle => {
  const practitionerUrl = `urn:uuid:${uuidOfUlid(profile.id)}`;
  const telecom = [
    ...(profile.phone ? [{ system: 'phone', value: profile.phone, use: 'mobile' }] : []),
    { system: 'email', value: profile.email, use: 'work' },
  ];
  const practitioner: FhirResource = {
    resourceType: 'Practitioner',
    id: profile.id,
    identifier: [
      { system: STAFF_ID_SYSTEM, value: profile.id },
      ...(profile.npi ? [{ use: 'official', system: US_NPI_SYSTEM, value: profile.npi }] : []),
    ],
    active: profile.isActive,
    name: [humanName(profile.name)],
    telecom,
    ...(profile.dateOfBirth ? { birthDate: profile.dateOfBirth } : {}),
    ...(activeCredentials.length > 0 ? { qualification: activeCredentials.map(qualificationOf) } : {}),
  };
  const role: FhirResource = {
    resourceType: 'PractitionerRole',
    id: `${profile.id}-role`,
    active: profile.isActive,
    practitioner: { reference: practitionerUrl, display: profile.name },
    ...(profile.specialty ? { specialty: [{ text: profile.specialty }] } : {}),
  };
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: now.toISOString(),
    entry: [
      { fullUrl: practitionerUrl, resource: practitioner },
      // The role's UUID: the profile's with its last digit flipped (distinct, stable across exports).
      { fullUrl: `urn:uuid:${roleUuid(profile.id)}`, resource: role },
    ],
  };
};

const roleUuid = (staffId: string) => {
  const uuid = uuidOfUlid(staffId);
  const last = Number.parseInt(uuid.slice(-1), 16);
  return `${uuid.slice(0, -1)}${(last ^ 1).toString(16)}`;
};
