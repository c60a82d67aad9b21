/**
 * Double-booking prevention by schedule slots. A staff member's time is cut into 15-minute
 * slots; a live appointment holds one slot item per slot it covers, written in the same
 * transaction as the appointment with `attribute_not_exists`, so two overlapping bookings can
 * never both commit, however they race: the condition is the check. Appointment times sit on
 * the 15-minute grid, which makes "shares a slot" exactly "overlaps". See docs/decisions.md.
 */
export const SLOT_MINUTES = 15;
const SLOT_MS = SLOT_MINUTES * 60 * 1000;

/** A 24-hour call shift is the longest booking: 96 slots + the appointment fit one transaction. */
export const MAX_APPOINTMENT_HOURS = 24;
export const MAX_APPOINTMENT_MS = MAX_APPOINTMENT_HOURS * 60 * 60 * 1000;

/** DynamoDB's TransactWriteItems limit. */
export const MAX_TRANSACTION_ITEMS = 100;

export const isOnSlotGrid = (iso: string): boolean => Date.parse(iso) % SLOT_MS === 0;

/** The start of each slot the half-open interval [startAt, endAt) covers, as ISO timestamps. */
export const slotsOf = (startAt: string, endAt: string): string[] => {
  const slots: string[] = [];
  const end = Date.parse(endAt);
  for (let at = Date.parse(startAt); at < end; at += SLOT_MS) slots.push(new Date(at).toISOString());
  return slots;
};

/** Half-open intervals: one ending at 09:00 and one starting at 09:00 do not overlap. */
export const overlaps = (
  a: { startAt: string; endAt: string },
  b: { startAt: string; endAt: string },
): boolean => Date.parse(a.startAt) < Date.parse(b.endAt) && Date.parse(b.startAt) < Date.parse(a.endAt);

/** What moving from one interval to another releases and claims. */
export const slotChanges = (
  from: { startAt: string; endAt: string },
  to: { startAt: string; endAt: string },
): { release: string[]; claim: string[] } => {
  const before = new Set(slotsOf(from.startAt, from.endAt));
  const after = new Set(slotsOf(to.startAt, to.endAt));
  return {
    release: [...before].filter((slot) => !after.has(slot)),
    claim: [...after].filter((slot) => !before.has(slot)),
  };
};
