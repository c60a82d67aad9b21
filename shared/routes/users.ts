import {
  InviteUserBodySchema,
  ListUsersQuerySchema,
  SetRolesBodySchema,
  UserIdParamsSchema,
  UserListSchema,
  UserSchema,
} from '#domain/schemas/users.ts';
import type { RouteDefinition } from '../routes.ts';
import { performs } from './access.ts';

const tag = 'Users';

export const USERS_ROUTES = [
  {
    method: 'POST',
    path: '/users',
    operationId: 'inviteUser',
    summary: 'Invites a user (temporary password by email); recruiters may invite staff only',
    tag,
    fn: 'users',
    ...performs('User', 'invite'),
    request: { body: InviteUserBodySchema, idempotent: true },
    responses: { 201: { description: 'Invited', schema: UserSchema } },
    problems: [409],
  },
  {
    method: 'GET',
    path: '/users',
    operationId: 'listUsers',
    summary: 'Lists users, optionally those holding one role',
    tag,
    fn: 'users',
    ...performs('User', 'list'),
    request: { query: ListUsersQuerySchema },
    responses: { 200: { description: 'A page of users', schema: UserListSchema } },
  },
  {
    method: 'PUT',
    path: '/users/{id}/roles',
    operationId: 'setUserRoles',
    summary: "Sets a user's roles; they take effect on the user's next token",
    tag,
    fn: 'users',
    ...performs('User', 'changeRoles'),
    request: { params: UserIdParamsSchema, body: SetRolesBodySchema },
    responses: { 200: { description: 'The user with the new roles', schema: UserSchema } },
  },
  {
    method: 'POST',
    path: '/users/{id}/disable',
    operationId: 'disableUser',
    summary: 'Disables a user: they can no longer log in or refresh',
    tag,
    fn: 'users',
    ...performs('User', 'disable'),
    request: { params: UserIdParamsSchema },
    responses: { 204: { description: 'Disabled' } },
  },
  {
    method: 'POST',
    path: '/users/{id}/mfa/reset',
    operationId: 'resetUserMfa',
    summary:
      "Clears a user's TOTP MFA (a lost device): every session of the user ends; they enrol again at login",
    tag,
    fn: 'users',
    ...performs('User', 'resetMfa'),
    request: { params: UserIdParamsSchema },
    responses: { 204: { description: 'MFA reset' } },
  },
] as const satisfies readonly RouteDefinition[];
