/**
 * The daily expiry sweep: reads the expiry-day buckets from PAST_DUE_LOOKBACK_DAYS ago to
 * SWEEP_HORIZON_DAYS ahead, raises `expiryWarning` and expires past-due active credentials,
 * each with a conditional update, so a second run the same day changes nothing.
 */
import { type ServiceContext, SYSTEM_ACTOR } from '../context.ts';
import { changeStampOf, transitionFrom } from '../lifecycle.ts';
import type { ListPosition } from '../page.ts';
import { authorize } from '../policy.ts';
import { StaleWrite } from '../repository.ts';
import type { SweepResult } from '../schemas/credentials.ts';
import { addDays, dayOf, daysFrom } from './days.ts';
import { PAST_DUE_LOOKBACK_DAYS, SWEEP_HORIZON_DAYS, sweepActionFor } from './expiry.ts';
import type { CredentialRepository, StoredCredential } from './ports.ts';
import { CREDENTIAL_LIFECYCLE } from './state-machine.ts';

const BUCKET_PAGE = 100;
const PARALLEL_BUCKETS = 8;

export const createExpirySweep = ({ credentials }: { credentials: CredentialRepository }) => {
  /** Applies today's action to one credential: what changed, if anything. */
  const sweepOne = async (context: ServiceContext, credential: StoredCredential, today: string) => {
    const action = sweepActionFor(credential, today);
    if (action.kind === 'warn') {
      const raised = await credentials.raiseExpiryWarning(
        credential.id,
        action.threshold,
        changeStampOf(context, 'warn'),
      );
      return raised ? 'warned' : 'none';
    }
    if (action.kind !== 'expire') return 'none';
    try {
      await credentials.transition(
        credential,
        transitionFrom(CREDENTIAL_LIFECYCLE, 'expire', credential.status),
        {
          meta: changeStampOf(context, 'expire'),
          expiredBefore: today,
        },
      );
      return 'expired';
    } catch (error) {
      // Revoked or expired since it was read: nothing left to do.
      if (error instanceof StaleWrite) return 'none';
      throw error;
    }
  };

  /** One run as of `context.now`; every change is attributed to the system. */
  const run = async (context: ServiceContext): Promise<SweepResult> => {
    const system: ServiceContext = { ...context, actor: SYSTEM_ACTOR };
    const today = dayOf(context.now);
    const result: SweepResult = { examined: 0, warned: 0, expired: 0 };
    const sweepBucket = async (day: string) => {
      let after: ListPosition | undefined;
      do {
        const page = await credentials.listExpiringOn(day, undefined, {
          limit: BUCKET_PAGE,
          position: after,
        });
        for (const credential of page.items) {
          result.examined += 1;
          const outcome = await sweepOne(system, credential, today);
          if (outcome !== 'none') result[outcome] += 1;
        }
        after = page.next;
      } while (after !== undefined);
    };
    const days = daysFrom(addDays(today, -PAST_DUE_LOOKBACK_DAYS), addDays(today, SWEEP_HORIZON_DAYS));
    // A few buckets at a time: most are empty, and one Query each is mostly waiting.
    for (let start = 0; start < days.length; start += PARALLEL_BUCKETS) {
      await Promise.all(days.slice(start, start + PARALLEL_BUCKETS).map(sweepBucket));
    }
    return result;
  };

  return {
    run,
    /** POST /admin/sweeps/credential-expiry: an admin runs it now, on the real clock. */
    runNow: async (context: ServiceContext) => {
      authorize(context.actor, 'sweep', { type: 'Credential' });
      return run(context);
    },
  };
};

export type ExpirySweep = ReturnType<typeof createExpirySweep>;
