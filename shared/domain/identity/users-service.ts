/**
 * Users and roles: admins invite any role, change roles and disable; recruiters invite staff.
 */
import type { AccessEventRepository } from '../access-events.ts';
import type { ServiceContext } from '../context.ts';
import { NotFound } from '../errors.ts';
import { type Actor, authorize } from '../policy.ts';
import type { Role } from '../roles.ts';
import type { StaffProfileProvisioner } from '../staff/service.ts';
import type { IdentityProvider, IdentityUser } from './ports.ts';
import type { SessionRevoker } from './sessions.ts';
import { USER_EVENT_ACTIONS, userEvent } from './user-events.ts';

export interface UserListPosition {
  pageToken?: string;
  offset: number;
}

export interface UsersServiceDeps {
  identity: IdentityProvider;
  /** Changes that leave Main untouched record a User access event: the request's ledger entry. */
  accessEvents: AccessEventRepository;
  /** Creates an invited staff member's profile with the invitation (DESIGN.md "Users, profiles, ids"). */
  profiles?: StaffProfileProvisioner;
  /** Ends every session of a user whose roles change or who is disabled (the functions pass it). */
  sessions?: Pick<SessionRevoker, 'endAllSessions'>;
}

/** A staff invitation creates the staff profile: its `create` is that request's ledger entry. */
export const invitationCreatesStaffProfile = (roles: readonly Role[]): boolean => roles.includes('staff');

// Said in the request's single ledger entry, so the revocation is on record where it was caused.
const SESSIONS_ENDED = '; every session ended';

export const createUsersService = ({ identity, accessEvents, profiles, sessions }: UsersServiceDeps) => ({
  invite: async (context: ServiceContext, input: { email: string; name: string; roles: readonly Role[] }) => {
    authorize(context.actor, 'invite', { type: 'User', grantedRoles: input.roles });
    const user = await identity.inviteUser(input);
    if (!invitationCreatesStaffProfile(input.roles)) {
      const summary = `invitation of user ${user.id} as ${input.roles.join(', ')}`;
      await accessEvents.record(userEvent(context, user.id, USER_EVENT_ACTIONS.invite, summary));
    } else if (profiles) {
      await profiles.provision(context, user);
    }
    return user;
  },

  /**
   * A page of users. The position is the provider's page token plus how many of that page were
   * already returned, so a page is never longer than `limit` even when the provider's is.
   */
  list: async (actor: Actor, input: { role?: Role; limit: number; position?: UserListPosition }) => {
    authorize(actor, 'list', { type: 'User' });
    const { pageToken, offset = 0 } = input.position ?? {};
    const page = await identity.listUsers({ role: input.role, limit: offset + input.limit, pageToken });
    const users = page.users.slice(offset, offset + input.limit);
    const consumed = offset + users.length;
    const next: UserListPosition | undefined =
      consumed < page.users.length
        ? { pageToken, offset: consumed }
        : page.nextPageToken
          ? { pageToken: page.nextPageToken, offset: 0 }
          : undefined;
    // Roles cost one provider call per user: only for the users this page returns.
    const withRoles = await Promise.all(
      users.map(async (user) => ({ ...user, roles: await identity.rolesOf(user.id) })),
    );
    return { users: withRoles, next };
  },

  setRoles: async (
    context: ServiceContext,
    userId: string,
    roles: readonly Role[],
  ): Promise<IdentityUser> => {
    authorize(context.actor, 'changeRoles', { type: 'User', grantedRoles: roles });
    if (!(await identity.getUser(userId))) throw new NotFound('No such user');
    const user = await identity.setRoles(userId, roles);
    await sessions?.endAllSessions(userId, 'roles.change');
    const summary = `roles of user ${userId} set to ${roles.join(', ')}${sessions ? SESSIONS_ENDED : ''}`;
    await accessEvents.record(userEvent(context, userId, USER_EVENT_ACTIONS.changeRoles, summary));
    return user;
  },

  disable: async (context: ServiceContext, userId: string) => {
    authorize(context.actor, 'disable', { type: 'User' });
    if (!(await identity.getUser(userId))) throw new NotFound('No such user');
    await identity.disableUser(userId);
    await sessions?.endAllSessions(userId, 'disabled');
    const summary = `user ${userId} disabled${sessions ? SESSIONS_ENDED : ''}`;
    await accessEvents.record(userEvent(context, userId, USER_EVENT_ACTIONS.disable, summary));
  },
});

export type UsersService = ReturnType<typeof createUsersService>;
