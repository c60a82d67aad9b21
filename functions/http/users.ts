/** The `users` function: invitations, role changes and disabling (admin; recruiters invite staff). */
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { createUsersService, type UserListPosition } from '#domain/identity/users-service.ts';
import { decodeCursor, encodeCursor } from '#runtime/cursor.ts';
import { httpFunction } from '#runtime/http.ts';

const users = createUsersService({ identity: cognitoIdentity });

export const handler = httpFunction('users', {
  inviteUser: async ({ auth, body }) => ({ status: 201, body: await users.invite(auth, body) }),

  listUsers: async ({ auth, query, event }) => {
    const binding = { userId: auth.userId, routeKey: event.routeKey, filters: { role: query.role } };
    const position = query.cursor ? await decodeCursor<UserListPosition>(query.cursor, binding) : undefined;
    const page = await users.list(auth, { role: query.role, limit: query.limit, position });
    const nextCursor = page.next ? await encodeCursor(page.next, binding) : null;
    return { status: 200, body: { items: page.users, nextCursor } };
  },

  setUserRoles: async ({ auth, params, body }) => ({
    status: 200,
    body: await users.setRoles(auth, params.id, body.roles),
  }),

  disableUser: async ({ auth, params }) => {
    await users.disable(auth, params.id);
    return { status: 204 };
  },
});
