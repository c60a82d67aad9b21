import * as z from 'zod';
import '../zod-openapi.ts';
import { EmailSchema, RoleSchema } from './auth.ts';
import { ListQuerySchema, listOf } from './common.ts';

const RolesSchema = z
  .array(RoleSchema)
  .min(1)
  .max(4)
  .refine((roles) => new Set(roles).size === roles.length, 'Each role once');

export const UserSchema = z
  .object({
    id: z.string().describe('Cognito sub'),
    email: z.string(),
    name: z.string(),
    roles: z.array(RoleSchema),
    enabled: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('User');

export const UserListSchema = listOf(UserSchema).openapi('UserList');

export const InviteUserBodySchema = z
  .object({ email: EmailSchema, name: z.string().trim().min(1).max(200), roles: RolesSchema })
  .strict()
  .openapi('InviteUserRequest');

export const ListUsersQuerySchema = ListQuerySchema.extend({ role: RoleSchema.optional() }).strict();

export const UserIdParamsSchema = z.object({ id: z.uuid() }).strict();

export const SetRolesBodySchema = z.object({ roles: RolesSchema }).strict().openapi('SetRolesRequest');
