/**
 * Staff profiles: one per user. Recruiters and admins create and edit them; the owner edits
 * name, phone and specialty. `dateOfBirth` reaches only the owner, credentialing and admin, and
 * every read of it by someone else is an access event (so it reaches the audit ledger).
 */
import { ulid } from 'ulid';
import { type AccessEventRepository, accessEvent } from '../access-events.ts';
import { lastActorOf, newEntityMeta, type ServiceContext } from '../context.ts';
import { NCQA_CYCLE, statusAt, storedStatusFilter } from '../credentialing/cycle.ts';
import { Conflict, NotFound, PreconditionFailed, RuleViolation } from '../errors.ts';
import type { Page, PageRequest } from '../page.ts';
import { authorize, decide } from '../policy.ts';
import type {
  NewStaffProfile,
  StaffListFilters,
  StaffProfile,
  StaffProfileChanges,
} from '../schemas/staff.ts';
import type { StaffProfileRepository, StoredStaffProfile, UserDirectory } from './ports.ts';

/** Creates the profile of a user who just got the staff role (invitation, confirmed sign-up). */
export interface StaffProfileProvisioner {
  /** The user's profile id: the existing one, or a new profile's. Safe to repeat. */
  provision(context: ServiceContext, user: { id: string; name: string; email: string }): Promise<string>;
}

export interface StaffServiceDeps {
  profiles: StaffProfileRepository;
  users: UserDirectory;
  accessEvents: AccessEventRepository;
  newId?: () => string;
}

const view = (profile: StoredStaffProfile, withDateOfBirth: boolean, now: Date): StaffProfile => {
  const {
    lastActor: _lastActor,
    credentialingDecisionId: _decision,
    lastFlagResolution: _resolution,
    dateOfBirth,
    credentialingStatus: stored,
    ...rest
  } = profile;
  const credentialingStatus = statusAt(stored, profile.recredentialDueAt, now, NCQA_CYCLE);
  return withDateOfBirth && dateOfBirth !== undefined
    ? { ...rest, credentialingStatus, dateOfBirth }
    : { ...rest, credentialingStatus };
};

// A write answers the date of birth to its owner only: anyone else sent it, or reads it with an
// audited GET (a write must stay one ledger entry).
const writeView = (context: ServiceContext, profile: StoredStaffProfile) =>
  view(profile, profile.userId === context.actor.userId, context.now);

/** The profile after `changes`: `null` removes an optional field. */
const applyChanges = (
  profile: StoredStaffProfile,
  changes: StaffProfileChanges,
  context: ServiceContext,
): StoredStaffProfile => {
  const next: Record<string, unknown> = { ...profile };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return {
    ...(next as StoredStaffProfile),
    version: profile.version + 1,
    updatedAt: context.now.toISOString(),
    lastActor: lastActorOf(context, 'update'),
  };
};

/** Creates profiles: for the staff service, the invitation and the confirmation trigger. */
export const createStaffProfileProvisioner = ({
  profiles,
  newId = ulid,
}: Pick<StaffServiceDeps, 'profiles' | 'newId'>) => {
  const insert = async (context: ServiceContext, input: NewStaffProfile & { email: string }) => {
    const profile: StoredStaffProfile = {
      ...input,
      id: newId(),
      isActive: input.isActive ?? true,
      ...newEntityMeta(context),
    };
    await profiles.create(profile);
    return profile;
  };

  const provision: StaffProfileProvisioner['provision'] = async (context, user) => {
    const existing = await profiles.profileIdOfUser(user.id);
    if (existing) return existing;
    try {
      return (await insert(context, { userId: user.id, name: user.name || user.email, email: user.email }))
        .id;
    } catch (error) {
      // A concurrent provisioning (a retried trigger) won the race: its profile is the one.
      const raced = error instanceof Conflict ? await profiles.profileIdOfUser(user.id) : undefined;
      if (raced) return raced;
      throw error;
    }
  };

  return { insert, provision };
};

export const createStaffService = ({ profiles, users, accessEvents, newId = ulid }: StaffServiceDeps) => {
  const load = async (staffId: string) => {
    const profile = await profiles.get(staffId);
    if (!profile) throw new NotFound('No such staff profile');
    return profile;
  };

  const provisioner = createStaffProfileProvisioner({ profiles, newId });

  /** GET /staff/{id}'s answer for a profile already read: the policy, the view, the audited read. */
  const show = async (context: ServiceContext, profile: StoredStaffProfile): Promise<StaffProfile> => {
    authorize(context.actor, 'read', { type: 'StaffProfile', ownerUserId: profile.userId });
    const decision = decide(context.actor, 'readDateOfBirth', {
      type: 'StaffProfile',
      ownerUserId: profile.userId,
    });
    const withDateOfBirth = decision === 'allow';
    if (withDateOfBirth && profile.dateOfBirth !== undefined && profile.userId !== context.actor.userId) {
      await accessEvents.record(
        accessEvent(context, {
          id: newId(),
          entityType: 'StaffProfile',
          entityId: profile.id,
          action: 'read.dateOfBirth',
          summary: `date of birth of staff profile ${profile.id} read`,
        }),
      );
    }
    return view(profile, withDateOfBirth, context.now);
  };

  return {
    provision: provisioner.provision,

    create: async (context: ServiceContext, input: NewStaffProfile): Promise<StaffProfile> => {
      authorize(context.actor, 'create', { type: 'StaffProfile' });
      const user = await users.getUser(input.userId);
      if (!user) throw new RuleViolation('No user has this id', { userId: 'no such user' });
      // A profile makes its user bookable staff: an admin or recruiter account must not become one.
      if (!user.roles.includes('staff'))
        throw new RuleViolation('The user does not have the staff role', { userId: 'not a staff user' });
      const profile = await provisioner.insert(context, { ...input, email: input.email ?? user.email });
      return writeView(context, profile);
    },

    get: async (context: ServiceContext, staffId: string): Promise<StaffProfile> =>
      show(context, await load(staffId)),

    /** As `get`, for a profile already read (offline sync reads a page's in one batch). */
    show,

    update: async (
      context: ServiceContext,
      staffId: string,
      expectedVersion: number,
      changes: StaffProfileChanges,
    ): Promise<StaffProfile> => {
      const profile = await load(staffId);
      const changedFields = Object.keys(changes);
      authorize(context.actor, 'update', {
        type: 'StaffProfile',
        ownerUserId: profile.userId,
        changedFields,
      });
      if (profile.version !== expectedVersion) throw new PreconditionFailed();
      const next = applyChanges(profile, changes, context);
      await profiles.update(profile, next);
      return writeView(context, next);
    },

    /** Lists never carry dates of birth: GET /staff/{id} is the one audited way to read one. */
    list: async (
      context: ServiceContext,
      filters: StaffListFilters,
      page: PageRequest,
    ): Promise<Page<StaffProfile>> => {
      authorize(context.actor, 'list', { type: 'StaffProfile' });
      const { credentialingStatus, ...rest } = filters;
      const credentialing =
        credentialingStatus === undefined
          ? undefined
          : storedStatusFilter(credentialingStatus, context.now, NCQA_CYCLE);
      const result = await profiles.list({ ...rest, ...(credentialing ? { credentialing } : {}) }, page);
      return { items: result.items.map((profile) => view(profile, false, context.now)), next: result.next };
    },

    /**
     * Profiles as lists show them (no date of birth, so no access event), read in one batch:
     * the ones the caller may not read are left out, as hidden ones are.
     */
    summaries: async (
      context: ServiceContext,
      staffIds: readonly string[],
    ): Promise<Map<string, StaffProfile>> => {
      const found = await profiles.getMany([...new Set(staffIds)]);
      const readable = found.filter(
        (profile) =>
          decide(context.actor, 'read', { type: 'StaffProfile', ownerUserId: profile.userId }) === 'allow',
      );
      return new Map(readable.map((profile) => [profile.id, view(profile, false, context.now)]));
    },

    profileIdOfUser: (userId: string) => profiles.profileIdOfUser(userId),
  };
};

export type StaffService = ReturnType<typeof createStaffService>;
