/** The `users` function: invitations, role changes and disabling (admin; recruiters invite staff). */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createUsersService, type UserListPosition } from '#domain/identity/users-service.ts';
import type { PageRequest } from '#domain/page.ts';
import { createStaffProfileProvisioner } from '#domain/staff/service.ts';
import { httpFunction, type Operations } from '#runtime/http.ts';
import { withIdempotency } from '#runtime/idempotent-routes.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { sessionRevoker } from '#runtime/session-revoker.ts';
import { USERS_ROUTES } from '#shared/routes/users.ts';
import { mfaService as mfa } from '#shared/services/mfa.ts';

const users = createUsersService({
  identity: cognitoIdentity,
  accessEvents: accessEventRepository,
  profiles: createStaffProfileProvisioner({ profiles: staffProfileRepository }),
  sessions: sessionRevoker,
});

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'users'> = {
  inviteUser: async ({ context, body }) => ({ status: 201, body: await users.invite(context, body) }),

  listUsers: async (input) =>
    pagedList(input, async (page: PageRequest<UserListPosition>, filters) => {
      const { users: items, next } = await users.list(input.context.actor, { ...filters, ...page });
      return { items, next };
    }),

  setUserRoles: async ({ context, params, body }) => ({
    status: 200,
    body: await users.setRoles(context, params.id, body.roles),
  }),

  disableUser: async ({ context, params }) => {
    await users.disable(context, params.id);
    return { status: 204 };
  },

  resetUserMfa: async ({ context, params }) => {
    await mfa.reset(context, params.id);
    return { status: 204 };
  },
};

export const handler = httpFunction(USERS_ROUTES, operations, withIdempotency);
