/** The staff member's Cognito sub behind a staff profile id: one GetItem of the profile. */
import type { CredentialingHolds, StaffOwners } from '#domain/staff-owners.ts';
import { staffProfileEntity } from './entities/staff.ts';

export const staffOwners: StaffOwners = {
  ownerUserIdOf: async (staffId) => (await staffProfileEntity.get({ id: staffId }))?.userId,
};

/** A flag read off the profile itself (consistent: a flag raised a moment ago already holds). */
export const credentialingHolds: CredentialingHolds = {
  openFlagOf: async (staffId) => {
    const profile = await staffProfileEntity.get({ id: staffId }, { consistent: true });
    return profile?.credentialingStatus === 'flagged' ? profile.credentialingFlagId : undefined;
  },
};
