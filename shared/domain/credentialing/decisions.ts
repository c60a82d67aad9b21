/**
 * Credentialing decisions (`POST /staff/{id}/decisions`): an approval rests on named
 * verification records, each within the window at the decision — an NPPES match when the
 * profile has an NPI, a clean LEIE screen, and a matching record of every active credential —
 * or it is a 422 naming each missing or stale check. The decision is immutable; the profile
 * carries its outcome and the recredentialing date (the decision + 36 months).
 */
import { ulid } from 'ulid';
import { lastActorOf, newEntityMeta, type ServiceContext } from '../context.ts';
import type { CredentialRepository, StoredCredential } from '../credentials/ports.ts';
import { Conflict, NotFound, RuleViolation } from '../errors.ts';
import type { Page, PageRequest } from '../page.ts';
import { authorize } from '../policy.ts';
import type {
  CredentialingDecision,
  NewDecisionInput,
  ResolveFlagInput,
  Verification,
} from '../schemas/credentialing.ts';
import type { StaffProfile } from '../schemas/staff.ts';
import type { StaffProfileRepository, StoredStaffProfile } from '../staff/ports.ts';
import { activeCredentialsOf } from './checks.ts';
import {
  type CycleRules,
  NCQA_CYCLE,
  type Requirement,
  recredentialDueAt,
  unmetRequirements,
} from './cycle.ts';
import type { DecisionRepository, FlagRepository, StoredDecision, VerificationRepository } from './ports.ts';
import { verificationView } from './verifications.ts';

export interface DecisionServiceDeps {
  decisions: DecisionRepository;
  profiles: Pick<StaffProfileRepository, 'get' | 'update'>;
  credentials: Pick<CredentialRepository, 'listOfStaff'>;
  verifications: Pick<VerificationRepository, 'get'>;
  flags: Pick<FlagRepository, 'get' | 'resolve'>;
  rules?: CycleRules;
  newId?: () => string;
}

const requirementsOf = (profile: StoredStaffProfile, active: readonly StoredCredential[]): Requirement[] => [
  ...(profile.npi
    ? [
        {
          check: 'nppes match',
          satisfiedBy: (r: Verification) => r.source === 'nppes' && r.result === 'match',
        },
      ]
    : []),
  { check: 'leie no_match', satisfiedBy: (r) => r.source === 'leie' && r.result === 'no_match' },
  ...active.map((credential) => ({
    check: `credential ${credential.id} (${credential.type}) match`,
    satisfiedBy: (r: Verification) => r.subject.credentialId === credential.id && r.result === 'match',
  })),
];

const decisionView = ({ lastActor: _actor, ...decision }: StoredDecision): CredentialingDecision => decision;

export const createDecisionService = ({
  decisions,
  profiles,
  credentials,
  verifications,
  flags,
  rules = NCQA_CYCLE,
  newId = ulid,
}: DecisionServiceDeps) => {
  const load = async (staffId: string) => {
    const profile = await profiles.get(staffId);
    if (!profile) throw new NotFound('No such staff profile');
    return profile;
  };

  /** The named records, each of this staff member (an unknown id is a 422 naming it). */
  const recordsNamed = async (staffId: string, ids: readonly string[]) => {
    const unique = [...new Set(ids)];
    const found = await Promise.all(unique.map((id) => verifications.get(id)));
    const unknown = unique.filter((_id, index) => found[index]?.staffId !== staffId);
    if (unknown.length > 0)
      throw new RuleViolation('Not verification records of this staff member', { unknown });
    return found.flatMap((record) => (record ? [verificationView(record)] : []));
  };

  return {
    decide: async (
      context: ServiceContext,
      staffId: string,
      input: NewDecisionInput,
    ): Promise<CredentialingDecision> => {
      const profile = await load(staffId);
      authorize(context.actor, 'create', { type: 'CredentialingDecision', ownerUserId: profile.userId });
      const verificationIds = [...new Set(input.verificationIds)];
      const records = await recordsNamed(staffId, verificationIds);
      const approved = input.outcome === 'approved';
      if (approved) {
        const requirements = requirementsOf(profile, await activeCredentialsOf(credentials, staffId));
        const { missing, stale } = unmetRequirements(requirements, records, context.now, rules);
        if (missing.length + stale.length > 0) {
          throw new RuleViolation(
            `An approval needs each check within ${rules.verificationMaxAgeDays} days of the decision`,
            { missing, stale },
          );
        }
      }
      const decision: StoredDecision = {
        id: newId(),
        staffId,
        outcome: input.outcome,
        decidedAt: context.now.toISOString(),
        decidedBy: context.actor.userId,
        verificationIds,
        recredentialDueAt: approved ? recredentialDueAt(context.now, rules) : null,
        note: input.note,
        ...newEntityMeta(context),
      };
      // A new decision starts a new cycle: the last cycle's warning goes with its due date.
      const { recredentialDueAt: _due, recredentialWarning: _warning, ...rest } = profile;
      const next: StoredStaffProfile = {
        ...rest,
        credentialingStatus: input.outcome,
        credentialingDecisionId: decision.id,
        ...(decision.recredentialDueAt ? { recredentialDueAt: decision.recredentialDueAt } : {}),
        version: profile.version + 1,
        updatedAt: context.now.toISOString(),
        lastActor: lastActorOf(context, 'decide'),
      };
      await decisions.record(decision, { previous: profile, next });
      return decisionView(decision);
    },

    /** cleared: the approval stands again; confirmed: the staff member is denied. */
    resolveFlag: async (
      context: ServiceContext,
      staffId: string,
      flagId: string,
      input: ResolveFlagInput,
    ): Promise<Pick<StaffProfile, 'id' | 'credentialingStatus'>> => {
      const profile = await load(staffId);
      authorize(context.actor, 'resolveFlag', { type: 'CredentialingDecision', ownerUserId: profile.userId });
      if (profile.credentialingFlagId !== flagId) throw new NotFound('No such open flag');
      if (profile.credentialingStatus !== 'flagged') {
        throw new Conflict('The staff member is not flagged', profile.credentialingStatus ?? 'none');
      }
      await recordsNamed(staffId, [input.verificationId]);
      const { credentialingFlagId: _flag, ...rest } = profile;
      const credentialingStatus = input.outcome === 'cleared' ? 'approved' : 'denied';
      const at = context.now.toISOString();
      const next: StoredStaffProfile = {
        ...rest,
        credentialingStatus,
        lastFlagResolution: {
          flagId,
          outcome: input.outcome,
          verificationId: input.verificationId,
          note: input.note,
          by: context.actor.userId,
          at,
        },
        version: profile.version + 1,
        updatedAt: at,
        lastActor: lastActorOf(context, 'resolveFlag'),
      };
      const flag = await flags.get(flagId);
      if (flag?.staffId === staffId && flag.status === 'open') {
        // The queue item leaves the open queue with the profile's change, in one transaction.
        const resolved = { status: input.outcome, resolvedAt: at, resolvedBy: context.actor.userId };
        const stamp = {
          version: flag.version + 1,
          updatedAt: at,
          lastActor: lastActorOf(context, 'resolve'),
        };
        await flags.resolve(
          { previous: flag, next: { ...flag, ...resolved, ...stamp } },
          { previous: profile, next },
        );
      } else {
        // A flag raised before flags went on the queue has no item: the profile alone changes.
        await profiles.update(profile, next);
      }
      return { id: staffId, credentialingStatus };
    },

    listOfStaff: async (
      context: ServiceContext,
      staffId: string,
      page: PageRequest,
    ): Promise<Page<CredentialingDecision>> => {
      const profile = await load(staffId);
      authorize(context.actor, 'list', { type: 'CredentialingDecision', ownerUserId: profile.userId });
      const found = await decisions.listOfStaff(staffId, page);
      return { items: found.items.map(decisionView), next: found.next };
    },
  };
};
