import { type Gsi1Key, type Gsi3Key, ITEM_KINDS, key, PREFIX, type PrimaryKey } from '../keys.ts';
import { MAIN_INDEX } from '../tables.ts';

// Lists group active profiles first: `ACTIVE#…` sorts before `INACTIVE#…`.
const activity = (isActive: boolean) => (isActive ? 'ACTIVE' : 'INACTIVE');

export const staffProfileKeys = {
  kind: ITEM_KINDS.staffProfile,
  /** `STAFF#<id>`. */
  primary: (staffId: string): PrimaryKey => ({
    pk: key(PREFIX.staff, staffId),
    sk: key(PREFIX.staff, staffId),
  }),
  /** gsi1 `STAFF#SPECIALTY#<specialty, lower-case>`: `?specialty=` (with `?active=`) is one Query. */
  bySpecialty: (specialty: string, isActive: boolean, staffId: string): Gsi1Key => ({
    gsi1pk: key(PREFIX.staff, 'SPECIALTY', specialty.toLowerCase()),
    gsi1sk: key(activity(isActive), staffId),
  }),
  /** gsi3 `STAFF`: every profile, active first; `?active=` is a sort-key prefix. */
  all: (isActive: boolean, staffId: string): Gsi3Key => ({
    gsi3pk: PREFIX.staff,
    gsi3sk: key(activity(isActive), staffId),
  }),
  /** The Query of a list: index, key attributes, partition and optional sort-key prefix. */
  listQuery: (filters: { specialty?: string; active?: boolean }) => {
    const skPrefix = filters.active === undefined ? undefined : `${activity(filters.active)}#`;
    return filters.specialty === undefined
      ? { index: MAIN_INDEX.byStatus, pkName: 'gsi3pk', skName: 'gsi3sk', pk: PREFIX.staff, skPrefix }
      : {
          index: MAIN_INDEX.byOwner,
          pkName: 'gsi1pk',
          skName: 'gsi1sk',
          pk: key(PREFIX.staff, 'SPECIALTY', filters.specialty.toLowerCase()),
          skPrefix,
        };
  },
} as const;

export const staffProfileLinkKeys = {
  kind: ITEM_KINDS.staffProfileLink,
  /** `USER#<sub>` / `STAFF`: at most one profile per user, and /me's lookup is one GetItem. */
  primary: (userId: string): PrimaryKey => ({ pk: key(PREFIX.user, userId), sk: PREFIX.staff }),
} as const;
