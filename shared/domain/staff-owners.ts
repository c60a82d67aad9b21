/**
 * Owned items (contracts, appointments) name their staff member by staff profile id and by the
 * staff member's Cognito sub (`ownerUserId`, what the policy and the notify consumer use). Staff
 * profiles are their own capability; this is all the owned capabilities need from it.
 */
export interface StaffOwners {
  /** The Cognito sub of the staff profile's user; undefined when there is no such profile. */
  ownerUserIdOf(staffId: string): Promise<string | undefined>;
}

/** What contracts need of the credentialing file: whether a staff member is flagged now. */
export interface CredentialingHolds {
  /** The open monitoring flag of the staff member (its id), if they are flagged. */
  openFlagOf(staffId: string): Promise<string | undefined>;
}
