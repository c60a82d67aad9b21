/**
 * `GET /staff/{id}/fhir`: the staff member's file as a FHIR R4 Bundle, under the profile's rules
 * (who may read it; the date of birth only to those who may see it). Every export is an audited
 * access event on the profile's chain: it is the whole file leaving the system.
 */
import { ulid } from 'ulid';
import { type AccessEventRepository, accessEvent } from '../access-events.ts';
import type { ServiceContext } from '../context.ts';
import { activeCredentialsOf } from '../credentialing/checks.ts';
import type { CredentialRepository } from '../credentials/ports.ts';
import { NotFound } from '../errors.ts';
import { authorize, decide } from '../policy.ts';
import type { FhirBundle } from '../schemas/fhir.ts';
import type { StaffProfileRepository } from '../staff/ports.ts';
import { practitionerBundle } from './practitioner.ts';

export interface FhirExportDeps {
  profiles: Pick<StaffProfileRepository, 'get'>;
  credentials: Pick<CredentialRepository, 'listOfStaff'>;
  accessEvents: AccessEventRepository;
  newId?: () => string;
}

export const createFhirExport = ({ profiles, credentials, accessEvents, newId = ulid }: FhirExportDeps) => ({
  practitioner: async (context: ServiceContext, staffId: string): Promise<FhirBundle> => {
    const profile = await profiles.get(staffId);
    if (!profile) throw new NotFound('No such staff profile');
    const owner = { type: 'StaffProfile', ownerUserId: profile.userId } as const;
    authorize(context.actor, 'read', owner);
    const withDateOfBirth = decide(context.actor, 'readDateOfBirth', owner) === 'allow';
    const { dateOfBirth, ...shown } = profile;
    const bundle = practitionerBundle(
      withDateOfBirth && dateOfBirth !== undefined ? { ...shown, dateOfBirth } : shown,
      await activeCredentialsOf(credentials, staffId),
      context.now,
    );
    await accessEvents.record(
      accessEvent(context, {
        id: newId(),
        entityType: 'StaffProfile',
        entityId: profile.id,
        action: 'read.fhir',
        summary: `FHIR export of staff profile ${profile.id} read${withDateOfBirth && dateOfBirth ? ' with the date of birth' : ''}`,
      }),
    );
    return bundle;
  },
});
