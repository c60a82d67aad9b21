/**
 * Users and roles: admins invite any role, change roles and disable; recruiters invite staff.
 */
import { NotFound } from '../errors.ts';
import { type Actor, authorize } from '../policy.ts';
import type { Role } from '../roles.ts';
import type { IdentityProvider, IdentityUser } from './ports.ts';

export interface UserListPosition {
  pageToken?: string;
  offset: number;
}

export interface UsersServiceDeps {
  identity: IdentityProvider;
}

export const createUsersService = ({ identity }: UsersServiceDeps) => ({
  invite: async (actor: Actor, input: { email: string; name: string; roles: readonly Role[] }) => {
    authorize(actor, 'invite', { type: 'User', grantedRoles: input.roles });
    return identity.inviteUser(input);
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

  setRoles: async (actor: Actor, userId: string, roles: readonly Role[]): Promise<IdentityUser> => {
    authorize(actor, 'changeRoles', { type: 'User', grantedRoles: roles });
    if (!(await identity.getUser(userId))) throw new NotFound('No such user');
    return identity.setRoles(userId, roles);
  },

  disable: async (actor: Actor, userId: string) => {
    authorize(actor, 'disable', { type: 'User' });
    if (!(await identity.getUser(userId))) throw new NotFound('No such user');
    await identity.disableUser(userId);
  },
});

export type UsersService = ReturnType<typeof createUsersService>;
