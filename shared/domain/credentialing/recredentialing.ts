/**
 * The recredentialing cadence: the daily sweep warns an approved staff member's file at the
 * credential expiry thresholds (90, 60, 30, 14, 7, 0 days) before recredentialing is due, then
 * once more when it is overdue. Each warning is stored on the profile (`recredentialWarning`,
 * a conditional write on the profile's version), so the stream audits and delivers it, and a
 * second run the same day finds nothing left to raise.
 */
import { lastActorOf, type ServiceContext, SYSTEM_ACTOR } from '../context.ts';
import { dayOf, daysBetween } from '../credentials/days.ts';
import { EXPIRY_THRESHOLDS, tightestThreshold } from '../credentials/expiry.ts';
import { PreconditionFailed } from '../errors.ts';
import type { StaffProfileRepository, StoredStaffProfile } from '../staff/ports.ts';
import type { RecredentialWarning } from './cycle.ts';

// Tighter warnings rank lower: overdue is past every threshold.
const rank = (warning: RecredentialWarning): number => (warning === 'overdue' ? -1 : warning);

const DAY_MS = 86_400_000;

/**
 * The warning an approved file is due today, if it has not had this one or a tighter one yet.
 * Overdue from the due instant on, as `credentialingStatus` reads it; a file first seen inside a
 * threshold gets only the tightest (first seen 20 days before → 30).
 */
export const recredentialWarningFor = (
  profile: Pick<StoredStaffProfile, 'credentialingStatus' | 'recredentialDueAt' | 'recredentialWarning'>,
  now: Date,
): RecredentialWarning | undefined => {
  if (profile.credentialingStatus !== 'approved' || profile.recredentialDueAt === undefined) return undefined;
  const dueAt = Date.parse(profile.recredentialDueAt);
  const next: RecredentialWarning | undefined =
    dueAt <= now.getTime() ? 'overdue' : tightestThreshold(daysBetween(dayOf(now), dayOf(new Date(dueAt))));
  if (next === undefined) return undefined;
  const current = profile.recredentialWarning;
  return current !== undefined && rank(current) <= rank(next) ? undefined : next;
};

export interface RecredentialingSweepResult {
  examined: number;
  warned: number;
  overdue: number;
}

export const createRecredentialingSweep = ({
  profiles,
}: {
  profiles: Pick<StaffProfileRepository, 'list' | 'update'>;
}) => {
  const warn = async (context: ServiceContext, profile: StoredStaffProfile, warning: RecredentialWarning) => {
    try {
      await profiles.update(profile, {
        ...profile,
        recredentialWarning: warning,
        version: profile.version + 1,
        updatedAt: context.now.toISOString(),
        lastActor: lastActorOf(context, warning === 'overdue' ? 'overdue' : 'warn'),
      });
      return true;
    } catch (error) {
      // Changed since it was read (a decision, a flag): tomorrow's run looks again.
      if (error instanceof PreconditionFailed) return false;
      throw error;
    }
  };

  return {
    /** One run as of `context.now`, as the system: approvals due within the widest threshold. */
    run: async (context: ServiceContext): Promise<RecredentialingSweepResult> => {
      const system: ServiceContext = { ...context, actor: SYSTEM_ACTOR };
      const horizon = new Date(context.now.getTime() + (EXPIRY_THRESHOLDS[0] + 1) * DAY_MS);
      const filter = { stored: 'approved' as const, dueAtMost: horizon.toISOString() };
      const result: RecredentialingSweepResult = { examined: 0, warned: 0, overdue: 0 };
      let position: Record<string, unknown> | undefined;
      do {
        const page = await profiles.list({ credentialing: filter }, { limit: 100, position });
        for (const profile of page.items) {
          result.examined += 1;
          const warning = recredentialWarningFor(profile, context.now);
          if (warning === undefined || !(await warn(system, profile, warning))) continue;
          result[warning === 'overdue' ? 'overdue' : 'warned'] += 1;
        }
        position = page.next;
      } while (position);
      return result;
    },
  };
};

export type RecredentialingSweep = ReturnType<typeof createRecredentialingSweep>;
