/**
 * The credentialing cycle as NCQA sets it: every primary-source verification an approval rests
 * on no older than 120 days at the decision (180 under the older standard: a setting), and
 * recredentialing at least every 36 months. Pure: the clock is the caller's.
 */
import { EXPIRY_THRESHOLDS } from '../credentials/expiry.ts';
import type { Verification } from '../schemas/credentialing.ts';

export interface CycleRules {
  verificationMaxAgeDays: number;
  recredentialMonths: number;
  /** How long before recredentialing is due the status says `due`. */
  dueWithinDays: number;
}

export const NCQA_CYCLE: CycleRules = {
  verificationMaxAgeDays: 120,
  recredentialMonths: 36,
  dueWithinDays: 90,
};

/** The cycle with a deployment's freshness window (a setting; unset: NCQA's 120 days). */
export const cycleRulesWith = (verificationMaxAgeDays: string | undefined): CycleRules => {
  if (verificationMaxAgeDays === undefined) return NCQA_CYCLE;
  const days = Number(verificationMaxAgeDays);
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw new Error(
      `the verification freshness window must be 1 to 365 days, not "${verificationMaxAgeDays}"`,
    );
  }
  return { ...NCQA_CYCLE, verificationMaxAgeDays: days };
};

export const CREDENTIALING_STATUSES = ['none', 'approved', 'denied', 'flagged', 'due', 'overdue'] as const;
export type CredentialingStatus = (typeof CREDENTIALING_STATUSES)[number];

/** The daily sweep's warnings before recredentialing is due: days before, then overdue. */
export const RECREDENTIAL_WARNINGS = [...EXPIRY_THRESHOLDS, 'overdue'] as const;
export type RecredentialWarning = (typeof RECREDENTIAL_WARNINGS)[number];

const DAY_MS = 86_400_000;

/** The same instant `months` later (the 31st of a short month rolls into the next, as UTC does). */
export const addMonths = (at: Date, months: number): Date => {
  const later = new Date(at.getTime());
  later.setUTCMonth(later.getUTCMonth() + months);
  return later;
};

export const recredentialDueAt = (decidedAt: Date, rules: CycleRules): string =>
  addMonths(decidedAt, rules.recredentialMonths).toISOString();

/** The status as of `now`: an approval turns `due` 90 days before recredentialing, then `overdue`. */
export const statusAt = (
  stored: CredentialingStatus | undefined,
  dueAt: string | undefined,
  now: Date,
  rules: CycleRules,
): CredentialingStatus => {
  if (stored !== 'approved' || dueAt === undefined) return stored ?? 'none';
  const left = Date.parse(dueAt) - now.getTime();
  if (left <= 0) return 'overdue';
  return left <= rules.dueWithinDays * DAY_MS ? 'due' : 'approved';
};

/** What an approval needs, one requirement per line: a matching record of this kind. */
export interface Requirement {
  /** How the 422 names it: `nppes match`, `leie no_match`, `credential <id> (RN) match`. */
  check: string;
  satisfiedBy: (record: Verification) => boolean;
}

/** Each requirement no named record meets within the window: missing, or only stale ones. */
export const unmetRequirements = (
  requirements: readonly Requirement[],
  records: readonly Verification[],
  decidedAt: Date,
  rules: CycleRules,
): { missing: string[]; stale: string[] } => {
  const oldest = decidedAt.getTime() - rules.verificationMaxAgeDays * DAY_MS;
  const missing: string[] = [];
  const stale: string[] = [];
  for (const requirement of requirements) {
    const meeting = records.filter(requirement.satisfiedBy);
    if (meeting.length === 0) missing.push(requirement.check);
    else if (meeting.every((record) => Date.parse(record.checkedAt) < oldest)) stale.push(requirement.check);
  }
  return { missing, stale };
};

/** What a list by status reads: the stored outcome and, for approvals, the due-date window. */
export const storedStatusFilter = (
  status: CredentialingStatus,
  now: Date,
  rules: CycleRules,
): { stored: 'none' | 'approved' | 'denied' | 'flagged'; dueAfter?: string; dueAtMost?: string } => {
  const soon = new Date(now.getTime() + rules.dueWithinDays * DAY_MS).toISOString();
  switch (status) {
    case 'approved':
      return { stored: 'approved', dueAfter: soon };
    case 'due':
      return { stored: 'approved', dueAfter: now.toISOString(), dueAtMost: soon };
    case 'overdue':
      return { stored: 'approved', dueAtMost: now.toISOString() };
    default:
      return { stored: status };
  }
};
