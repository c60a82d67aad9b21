/** What the staff profile service needs from storage and from the identity provider. */
import type { LastActor } from '../context.ts';
import type { Page, PageRequest } from '../page.ts';
import type { Role } from '../roles.ts';
import type { StaffListFilters, StaffProfile } from '../schemas/staff.ts';

/**
 * A profile as stored: the API shape plus who last changed it. The credentialing status is
 * stored as the latest decision left it (absent: none); `due` and `overdue` are read off the clock.
 */
export type StoredStaffProfile = Omit<StaffProfile, 'credentialingStatus'> & {
  credentialingStatus?: 'approved' | 'denied' | 'flagged';
  /** The decision that set the status: the profile's ledger entry names it. */
  credentialingDecisionId?: string;
  /** How the last flag was resolved (stored only: the ledger's `resolveFlag` entry shows it). */
  lastFlagResolution?: {
    flagId: string;
    outcome: 'cleared' | 'confirmed';
    verificationId: string;
    note: string;
    by: string;
    at: string;
  };
  lastActor: LastActor;
};

export interface StaffProfileRepository {
  /** Writes the profile and its user link in one transaction: Conflict when the user has a profile. */
  create(profile: StoredStaffProfile): Promise<void>;
  get(staffId: string): Promise<StoredStaffProfile | undefined>;
  /** Several profiles in batch reads (BatchGetItem, 100 ids a call); absent ones are left out. */
  getMany(staffIds: readonly string[]): Promise<StoredStaffProfile[]>;
  profileIdOfUser(userId: string): Promise<string | undefined>;
  /** Writes `next` over `previous` if the item is still at `previous.version`: PreconditionFailed otherwise. */
  update(previous: StoredStaffProfile, next: StoredStaffProfile): Promise<void>;
  list(filters: StaffListQuery, page: PageRequest): Promise<Page<StoredStaffProfile>>;
}

/**
 * The stored credentialing status a list asks for (`none`: no decision yet), and for approvals
 * the window of `recredentialDueAt` (`due` and `overdue` are approvals read off the clock).
 */
export interface CredentialingFilter {
  stored: 'none' | 'approved' | 'denied' | 'flagged';
  dueAfter?: string;
  dueAtMost?: string;
}

export type StaffListQuery = Omit<StaffListFilters, 'credentialingStatus'> & {
  credentialing?: CredentialingFilter;
};

/** The identity provider's view of a user, as far as profiles need it. */
export interface UserDirectory {
  getUser(
    userId: string,
  ): Promise<{ id: string; email: string; name: string; roles: readonly Role[] } | undefined>;
}

/** POST /staff/search's index: term items kept with the profiles and credentials (Query only). */
export interface StaffSearchIndex {
  /** The staff members with this NPI (normally one). */
  byNpi(npi: string): Promise<string[]>;
  /** The staff members holding a credential with this licence number (as `licenceKey` folds it). */
  byLicence(number: string): Promise<string[]>;
  /** Name words starting with `prefix` (two characters or more), in word order. */
  byNamePrefix(
    prefix: string,
    page: PageRequest,
  ): Promise<Page<{ staffId: string; value: string; words?: string[] }>>;
}
