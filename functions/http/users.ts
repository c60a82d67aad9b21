/** The `users` function: invitations, role changes and disabling (admin; recruiters invite staff). */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createUsersService, type UserListPosition } from '#domain/identity/users-service.ts';
import { createStaffProfileProvisioner } from '#domain/staff/service.ts';
import { decodeCursor, encodeCursor } from '#runtime/cursor.ts';
import { httpFunction } from '#runtime/http.ts';
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

  listUsers: async ({ auth, query, event }) => {
    const binding = { userId: auth.userId, routeKey: event.routeKey, filters: { role: query.role } };
    const position = query.cursor ? await decodeCursor<UserListPosition>(query.cursor, binding) : undefined;
    const page = await users.list(auth, { role: query.role, limit: query.limit, position });
    const nextCursor = page.next ? await encodeCursor(page.next, binding) : null;
    return { status: 200, body: { items: page.users, nextCursor } };
  },

  setUserRoles: async ({ auth, params, body, requestId }) => ({
    status: 200,
    body: await users.setRoles(serviceContextOf({ auth, requestId }), params.id, body.roles),
  }),

  disableUser: async ({ auth, params, requestId }) => {
    await users.disable(serviceContextOf({ auth, requestId }), params.id);
    return { status: 204 };
  },
});
