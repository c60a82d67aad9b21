/**
 * Account recovery: forgotten passwords, lost sign-up codes and password changes. Answers never
 * reveal whether an email has an account (Cognito's user-existence protection does not cover
 * every case, so the service makes unknown and known alike itself). A reset or change ends every
 * session of the user, the caller's included, and is recorded on the user's ledger chain.
 */
import type { AccessEventRepository } from '../access-events.ts';
import { Unauthorized } from '../errors.ts';
import type { SessionRevoker, TokenSession } from './sessions.ts';
import { USER_EVENT_ACTIONS, userEvent } from './user-events.ts';

export interface AccountRecovery {
  /** Sends a reset code; resolves alike for unknown emails. */
  forgotPassword(email: string): Promise<void>;
  /** Throws BadRequest for a wrong or expired code, or a password the policy refuses. */
  confirmForgotPassword(email: string, code: string, newPassword: string): Promise<void>;
  /** Sends a new sign-up code; resolves alike for unknown and confirmed users. */
  resendCode(email: string): Promise<void>;
  /** Throws Unauthorized for a wrong current password or an invalid token. */
  changePassword(accessToken: string, currentPassword: string, newPassword: string): Promise<void>;
  /** The user id an email belongs to (after a successful reset, so it exists). */
  userIdOf(email: string): Promise<string | undefined>;
}

/** What an access token says of its caller, read before Cognito verifies it (ChangePassword does). */
export interface AccessTokenCaller {
  userId: string;
  session: TokenSession;
}

export interface RecoveryServiceDeps {
  recovery: AccountRecovery;
  sessions: Pick<SessionRevoker, 'endAllSessions'>;
  /** Refuses a token whose session has ended (SessionRevoked). */
  checkSession: (userId: string, session: TokenSession) => Promise<void>;
  accessEvents: AccessEventRepository;
}

export const createRecoveryService = ({
  recovery,
  sessions,
  checkSession,
  accessEvents,
}: RecoveryServiceDeps) => ({
  forgot: (email: string) => recovery.forgotPassword(email),

  resendCode: (email: string) => recovery.resendCode(email),

  reset: async (email: string, code: string, newPassword: string, requestId: string) => {
    await recovery.confirmForgotPassword(email, code, newPassword);
    const userId = await recovery.userIdOf(email);
    if (userId === undefined) return;
    await sessions.endAllSessions(userId, 'password.reset');
    const context = { actor: { userId, roles: [] }, now: new Date(), requestId };
    const summary = `password reset of user ${userId}; every session ended`;
    await accessEvents.record(userEvent(context, userId, USER_EVENT_ACTIONS.passwordReset, summary));
  },

  change: async (
    caller: AccessTokenCaller | undefined,
    accessToken: string,
    passwords: { currentPassword: string; newPassword: string },
    requestId: string,
  ) => {
    if (caller === undefined) throw new Unauthorized('A valid bearer access token is required');
    // A revoked session must not choose the password (Cognito would accept its access token).
    await checkSession(caller.userId, caller.session);
    await recovery.changePassword(accessToken, passwords.currentPassword, passwords.newPassword);
    await sessions.endAllSessions(caller.userId, 'password.change');
    const context = { actor: { userId: caller.userId, roles: [] }, now: new Date(), requestId };
    const summary = `password change of user ${caller.userId}; every session ended`;
    await accessEvents.record(userEvent(context, caller.userId, USER_EVENT_ACTIONS.passwordChange, summary));
  },
});
