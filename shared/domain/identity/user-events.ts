/**
 * Identity events that change no entity item in Main (sign-up, login, logout, invitations of
 * non-staff, role changes, disabling) reach the audit ledger as access events on the user's
 * `User` chain: one per request, with the request's id. Summaries name ids and roles only.
 */
import { ulid } from 'ulid';
import { type AccessEvent, accessEvent } from '../access-events.ts';
import type { ServiceContext } from '../context.ts';

export const USER_ENTITY_TYPE = 'User';

export const USER_EVENT_ACTIONS = {
  signUp: 'signup',
  login: 'login',
  logout: 'logout',
  invite: 'invite',
  changeRoles: 'roles.change',
  disable: 'disable',
  passwordReset: 'password.reset',
  passwordChange: 'password.change',
  mfaEnrol: 'mfa.enrol',
  mfaReset: 'mfa.reset',
} as const;

export type UserEventAction = (typeof USER_EVENT_ACTIONS)[keyof typeof USER_EVENT_ACTIONS];

export const userEvent = (
  context: ServiceContext,
  userId: string,
  action: UserEventAction,
  summary: string,
): AccessEvent =>
  accessEvent(context, { id: ulid(), entityType: USER_ENTITY_TYPE, entityId: userId, action, summary });
