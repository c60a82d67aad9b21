/**
 * Owned items (contracts, appointments) name their staff member by staff profile id and by the
 * staff member's Cognito sub (`ownerUserId`, what the policy and the notify consumer use). Staff
 * profiles are their own capability; this is all the owned capabilities need from it.
 */
export interface StaffOwners {
  /** The Cognito sub of the staff profile's user; undefined when there is no such profile. */
  ownerUserIdOf(staffId: string): Promise<string | undefined>;
}
