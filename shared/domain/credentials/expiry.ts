/**
 * Expiry rules: the warning thresholds and what the daily sweep does to one credential.
 * A credential is valid through its `expiryDate` (the day included) and past due the day after.
 */
import { daysBetween } from './days.ts';
import type { CredentialStatus } from './state-machine.ts';

/**
 * Days before expiry at which `expiryWarning` is raised, widest first; 0 is the last day the
 * credential is valid. The recredentialing sweep warns at the same days before its due date.
 */
export const EXPIRY_THRESHOLDS = [90, 60, 30, 14, 7, 0] as const;
export type ExpiryThreshold = (typeof EXPIRY_THRESHOLDS)[number];

/** The sweep looks this far ahead (the widest threshold). */
export const SWEEP_HORIZON_DAYS = 90;

/**
 * How far back the sweep looks for past-due credentials. Expired, revoked and rejected ones
 * leave the index, so a past bucket only holds credentials the sweep has not expired yet:
 * yesterday's, or older ones if the sweep failed for days. A month covers any outage the
 * sweep's dead-letter alarm would not have raised long before.
 */
export const PAST_DUE_LOOKBACK_DAYS = 31;

export const isPastExpiry = (expiryDate: string | undefined, today: string): boolean =>
  expiryDate !== undefined && expiryDate < today;

/** The tightest threshold `daysLeft` is inside of, if any (20 days left → 30). */
export const tightestThreshold = (daysLeft: number): ExpiryThreshold | undefined =>
  [...EXPIRY_THRESHOLDS].reverse().find((threshold) => daysLeft <= threshold);

export type SweepAction =
  | { kind: 'expire' }
  | { kind: 'warn'; threshold: ExpiryThreshold }
  | { kind: 'none' };

export interface SweepSubject {
  status: CredentialStatus;
  expiryDate?: string;
  expiryWarning: ExpiryThreshold | null;
}

/**
 * What the sweep does to a credential today. Only active credentials warn or expire (a pending
 * one is not held yet: the work queue's `expiringWithinDays` shows those). A credential first
 * seen inside a threshold gets only the tightest one, and each threshold fires once.
 */
export const sweepActionFor = (credential: SweepSubject, today: string): SweepAction => {
  if (credential.status !== 'active' || credential.expiryDate === undefined) return { kind: 'none' };
  const daysLeft = daysBetween(today, credential.expiryDate);
  if (daysLeft < 0) return { kind: 'expire' };
  const threshold = tightestThreshold(daysLeft);
  if (threshold === undefined) return { kind: 'none' };
  const current = credential.expiryWarning;
  if (current !== null && current <= threshold) return { kind: 'none' };
  return { kind: 'warn', threshold };
};
