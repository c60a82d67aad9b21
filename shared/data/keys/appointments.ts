import { type Gsi1Key, type Gsi3Key, ITEM_KINDS, key, PREFIX, type PrimaryKey } from '../keys.ts';

// Bounds of the time range on sort keys that start with a timestamp: before and after any time.
const EARLIEST = '0000';
const LATEST = '9999';

export const appointmentKeys = {
  kind: ITEM_KINDS.appointment,
  slotKind: ITEM_KINDS.scheduleSlot,
  /** `APPT#<id>`. */
  primary: (appointmentId: string): PrimaryKey => ({
    pk: key(PREFIX.appointment, appointmentId),
    sk: key(PREFIX.appointment, appointmentId),
  }),
  /** gsi1 `USER#<staff sub>` / `APPT#<startAt>#<id>`: a staff member's appointments by start time. */
  byOwner: (ownerUserId: string, startAt: string, appointmentId: string): Gsi1Key => ({
    gsi1pk: key(PREFIX.user, ownerUserId),
    gsi1sk: key(PREFIX.appointment, startAt, appointmentId),
  }),
  /** The sort-key range of appointments starting in [startFrom, startBefore) (either may be open). */
  ownerRange: (ownerUserId: string, startFrom?: string, startBefore?: string) => ({
    pk: key(PREFIX.user, ownerUserId),
    lower: key(PREFIX.appointment, startFrom ?? EARLIEST),
    upper: key(PREFIX.appointment, startBefore ?? LATEST),
  }),
  /** gsi3 `APPT` / `<startAt>#<id>`: every appointment by start time. */
  all: (startAt: string, appointmentId: string): Gsi3Key => ({
    gsi3pk: PREFIX.appointment,
    gsi3sk: key(startAt, appointmentId),
  }),
  allRange: (startFrom?: string, startBefore?: string) => ({
    pk: PREFIX.appointment,
    lower: startFrom ?? EARLIEST,
    upper: startBefore ?? LATEST,
  }),
  /** `SCHED#<staffId>` / `SCHED#<slot start>`: held by at most one live appointment. */
  slot: (staffId: string, slotStart: string): PrimaryKey => ({
    pk: key(PREFIX.schedule, staffId),
    sk: key(PREFIX.schedule, slotStart),
  }),
} as const;
