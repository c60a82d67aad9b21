/** The staff member's Cognito sub behind a staff profile id: one GetItem of the profile. */
import type { StaffOwners } from '#domain/staff-owners.ts';
import { staffProfileEntity } from './entities/staff.ts';

export const staffOwners: StaffOwners = {
  ownerUserIdOf: async (staffId) => (await staffProfileEntity.get({ id: staffId }))?.userId,
};
