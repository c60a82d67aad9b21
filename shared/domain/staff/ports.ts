/** What the staff profile service needs from storage and from the identity provider. */
import type { LastActor } from '../context.ts';
import type { Page, PageRequest } from '../page.ts';
import type { Role } from '../roles.ts';
import type { StaffListFilters, StaffProfile } from '../schemas/staff.ts';

/** A profile as stored: the API shape plus who last changed it. */
export type StoredStaffProfile = StaffProfile & { lastActor: LastActor };

export interface StaffProfileRepository {
  /** Writes the profile and its user link in one transaction: Conflict when the user has a profile. */
  create(profile: StoredStaffProfile): Promise<void>;
  get(staffId: string): Promise<StoredStaffProfile | undefined>;
  profileIdOfUser(userId: string): Promise<string | undefined>;
  /** Writes `next` over `previous` if the item is still at `previous.version`: PreconditionFailed otherwise. */
  update(previous: StoredStaffProfile, next: StoredStaffProfile): Promise<void>;
  list(filters: StaffListFilters, page: PageRequest): Promise<Page<StoredStaffProfile>>;
}

/** The identity provider's view of a user, as far as profiles need it. */
export interface UserDirectory {
  getUser(
    userId: string,
  ): Promise<{ id: string; email: string; name: string; roles: readonly Role[] } | undefined>;
}
