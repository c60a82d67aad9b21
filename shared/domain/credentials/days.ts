/**
 * Calendar days in UTC as `YYYY-MM-DD` (API.md "Dates"): credential dates and expiry buckets.
 * Day strings compare correctly as text, so rules compare them directly.
 */
const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** The UTC day of an instant. */
export const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);

export const addDays = (day: string, days: number): string =>
  dayOf(new Date(Date.parse(`${day}T00:00:00.000Z`) + days * MS_PER_DAY));

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / MS_PER_DAY);

/** Every day from `from` to `to`, both included. */
export const daysFrom = (from: string, to: string): string[] =>
  Array.from({ length: Math.max(0, daysBetween(from, to) + 1) }, (_, index) => addDays(from, index));
