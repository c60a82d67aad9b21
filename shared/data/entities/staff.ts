import type { StoredStaffProfile } from '#domain/staff/ports.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, key, PREFIX } from '../keys.ts';

/** `STAFF#<id>`; lists group active profiles first (`ACTIVE#…` sorts before `INACTIVE#…`). */
export const staffProfileEntity = defineEntity<StoredStaffProfile>()({
  kind: ITEM_KINDS.staffProfile,
  primary: { pk: { prefix: PREFIX.staff, fields: ['id'] }, sk: { prefix: PREFIX.staff, fields: ['id'] } },
  indexes: {
    /** `?specialty=` (with `?active=`) is one Query: `STAFF#SPECIALTY#<specialty>` / `<activity>#<id>` (sparse). */
    bySpecialty: {
      index: 'byParent',
      pk: { prefix: key(PREFIX.staff, 'SPECIALTY'), fields: ['specialty'] },
      sk: { fields: ['isActive', 'id'] },
    },
    /** Every profile, active first, `?active=` a prefix: `STAFF` / `<activity>#<id>`. */
    all: { index: 'byKind', pk: { prefix: PREFIX.staff, fields: [] }, sk: { fields: ['isActive', 'id'] } },
  },
  formats: {
    specialty: (specialty) => (specialty ?? '').toLowerCase(),
    isActive: (isActive) => (isActive ? 'ACTIVE' : 'INACTIVE'),
  },
});

export interface StaffProfileLink {
  userId: string;
  staffId: string;
  createdAt: string;
}

/** `USER#<sub>` / `STAFF`: at most one profile per user, and /me's lookup is one GetItem. */
export const staffProfileLinkEntity = defineEntity<StaffProfileLink>()({
  kind: ITEM_KINDS.staffProfileLink,
  primary: { pk: { prefix: PREFIX.user, fields: ['userId'] }, sk: { prefix: PREFIX.staff, fields: [] } },
});
