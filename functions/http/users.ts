/** The `users` function: invitations, role changes and disabling (admin; recruiters invite staff). */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { staffProfileRepository } from '#data/staff.ts';
import type { IdentityUser } from '#domain/identity/ports.ts';
import { createUsersService, type UserListPosition } from '#domain/identity/users-service.ts';
import { createStaffProfileProvisioner } from '#domain/staff/service.ts';
import { httpFunction } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { serviceContextOf } from '#runtime/service-context.ts';

const users = createUsersService({
  identity: cognitoIdentity,
  accessEvents: accessEventRepository,
  profiles: createStaffProfileProvisioner({ profiles: staffProfileRepository }),
});

export const handler = httpFunction('users', {
  inviteUser: async ({ auth, body, requestId }) => ({
    status: 201,
    body: await users.invite(serviceContextOf({ auth, requestId }), body),
  }),

  listUsers: async (input) =>
    pagedList<IdentityUser, UserListPosition>(input, { role: input.query.role }, async (page) => {
      const { users: items, next } = await users.list(input.auth, { role: input.query.role, ...page });
      return { items, next };
    }),

  setUserRoles: async ({ auth, params, body, requestId }) => ({
    status: 200,
    body: await users.setRoles(serviceContextOf({ auth, requestId }), params.id, body.roles),
  }),

  disableUser: async ({ auth, params, requestId }) => {
    await users.disable(serviceContextOf({ auth, requestId }), params.id);
    return { status: 204 };
  },
});
