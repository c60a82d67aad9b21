/**
 * Ongoing monitoring (NCQA: at least monthly): every approved staff member re-screened against
 * the LEIE's active month as the system, each screen an immutable record; a match or a
 * suspected match flags the profile (`credentialingStatus: "flagged"`). One run record counts
 * what happened. Flagging is conditional on the profile's version: a profile that changed
 * meanwhile counts as an error and is screened again next run.
 */
import { ulid } from 'ulid';
import { lastActorOf, newEntityMeta, type ServiceContext } from '../context.ts';
import { PreconditionFailed } from '../errors.ts';
import type { Page, PageRequest } from '../page.ts';
import { authorize } from '../policy.ts';
import type { CredentialingFlag, FlagStatus, MonitoringRun, Verification } from '../schemas/credentialing.ts';
import type { StaffProfileRepository, StoredStaffProfile } from '../staff/ports.ts';
import type { CheckService } from './checks.ts';
import type { FlagRepository, MonitoringRunRepository, StoredFlag, StoredMonitoringRun } from './ports.ts';

export interface MonitoringDeps {
  profiles: Pick<StaffProfileRepository, 'list'>;
  checks: Pick<CheckService, 'screen'>;
  runs: MonitoringRunRepository;
  flags: Pick<FlagRepository, 'raise' | 'listByStatus'>;
  sources?: readonly string[];
  newId?: () => string;
}

const approvedStaff = async (profiles: MonitoringDeps['profiles']): Promise<StoredStaffProfile[]> => {
  const all: StoredStaffProfile[] = [];
  let position: Record<string, unknown> | undefined;
  do {
    const page = await profiles.list({ credentialing: { stored: 'approved' } }, { limit: 100, position });
    all.push(...page.items);
    position = page.next;
  } while (position);
  return all;
};

const runView = ({ lastActor: _actor, ...run }: StoredMonitoringRun): MonitoringRun => run;

const flagView = ({ lastActor: _actor, ownerUserId: _owner, ...flag }: StoredFlag): CredentialingFlag => flag;

export const createExclusionMonitoring = ({
  profiles,
  checks,
  runs,
  flags,
  sources = ['leie'],
  newId = ulid,
}: MonitoringDeps) => {
  /**
   * The flag is named by the record that raised it: resolving it names that id. It goes on the
   * credentialing work queue in the same transaction that flags the profile; its creation is what
   * the notify consumer turns into `staff.flagged`.
   */
  const flag = async (context: ServiceContext, profile: StoredStaffProfile, raised: Verification) => {
    const result = raised.result === 'match' ? 'match' : 'suspected';
    const item: StoredFlag = {
      id: raised.id,
      staffId: profile.id,
      staffName: profile.name,
      ownerUserId: profile.userId,
      source: raised.source,
      result,
      raisedAt: raised.checkedAt,
      status: 'open',
      ...newEntityMeta(context),
    };
    await flags.raise(item, {
      previous: profile,
      next: {
        ...profile,
        credentialingStatus: 'flagged',
        credentialingFlagId: raised.id,
        version: profile.version + 1,
        updatedAt: context.now.toISOString(),
        lastActor: lastActorOf(context, 'flag'),
      },
    });
  };

  return {
    run: async (context: ServiceContext): Promise<MonitoringRun> => {
      const startedAt = context.now.toISOString();
      const counts = { checked: 0, matches: 0, suspected: 0, errors: 0 };
      const flaggedStaffIds: string[] = [];
      for (const profile of await approvedStaff(profiles)) {
        counts.checked += 1;
        const records = [];
        for (const source of sources) records.push(await checks.screen(context, profile, source));
        counts.errors += records.filter((record) => record.result === 'error').length;
        const raised =
          records.find((record) => record.result === 'match') ??
          records.find((record) => record.result === 'suspected');
        if (!raised) continue;
        counts[raised.result === 'match' ? 'matches' : 'suspected'] += 1;
        try {
          await flag(context, profile, raised);
          flaggedStaffIds.push(profile.id);
        } catch (error) {
          if (!(error instanceof PreconditionFailed)) throw error;
          counts.errors += 1;
        }
      }
      const run: StoredMonitoringRun = {
        id: newId(),
        startedAt,
        finishedAt: new Date(Math.max(Date.now(), context.now.getTime())).toISOString(),
        sources: [...sources],
        ...counts,
        flaggedStaffIds,
        ...newEntityMeta(context),
      };
      await runs.create(run);
      return runView(run);
    },

    list: async (context: ServiceContext, page: PageRequest): Promise<Page<MonitoringRun>> => {
      authorize(context.actor, 'list', { type: 'MonitoringRun' });
      const found = await runs.list(page);
      return { items: found.items.map(runView), next: found.next };
    },

    /** The credentialing work queue of flags: open ones by default, oldest first. */
    listFlags: async (
      context: ServiceContext,
      status: FlagStatus,
      page: PageRequest,
    ): Promise<Page<CredentialingFlag>> => {
      authorize(context.actor, 'list', { type: 'CredentialingFlag' });
      const found = await flags.listByStatus(status, page);
      return { items: found.items.map(flagView), next: found.next };
    },
  };
};
