/**
 * Sign-up, login (with the NEW_PASSWORD_REQUIRED challenge), refresh and logout. Wrong
 * passwords and unknown emails answer the same 401; five failures for one email within 15
 * minutes lock it for 15 minutes (429), unknown emails included.
 */
import { createHash } from 'node:crypto';
import type { AccessEventRepository } from '../access-events.ts';
import type { ServiceContext } from '../context.ts';
import { TooManyRequests, Unauthorized } from '../errors.ts';
import type { IdentityProvider, LoginOutcome, LoginThrottleLimits, LoginThrottleStore } from './ports.ts';
import { USER_EVENT_ACTIONS, userEvent } from './user-events.ts';

export const LOGIN_THROTTLE: LoginThrottleLimits = {
  maxFailures: 5,
  windowSeconds: 15 * 60,
  lockSeconds: 15 * 60,
};

/** The throttle key of an email: a hash, so the counter items hold no PHI. */
export const loginThrottleKey = (email: string): string =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

export interface AuthServiceDeps {
  identity: IdentityProvider;
  throttle: LoginThrottleStore;
  /** Sign-up and logout change no item in Main: each records a User access event (the ledger's entry). */
  accessEvents: AccessEventRepository;
  now?: () => Date;
}

export const createAuthService = ({
  identity,
  throttle,
  accessEvents,
  now = () => new Date(),
}: AuthServiceDeps) => {
  const guardedLogin = async (email: string, attempt: () => Promise<LoginOutcome>): Promise<LoginOutcome> => {
    const key = loginThrottleKey(email);
    const at = now();
    const lockedUntil = await throttle.lockedUntil(key, at);
    if (lockedUntil) {
      const retryAfter = Math.max(1, Math.ceil((lockedUntil.getTime() - at.getTime()) / 1000));
      throw new TooManyRequests('Too many failed logins for this email; try again later', retryAfter);
    }
    try {
      const outcome = await attempt();
      await throttle.clear(key);
      return outcome;
    } catch (error) {
      if (error instanceof Unauthorized) await throttle.recordFailure(key, at, LOGIN_THROTTLE);
      throw error;
    }
  };

  return {
    /** The new user is the actor of their own sign-up (they hold no role yet). */
    signUp: async (input: { email: string; password: string; name: string }, requestId: string) => {
      const created = await identity.signUp(input);
      const context: ServiceContext = { actor: { userId: created.userId, roles: [] }, now: now(), requestId };
      await accessEvents.record(
        userEvent(context, created.userId, USER_EVENT_ACTIONS.signUp, `sign-up of user ${created.userId}`),
      );
      return created;
    },
    confirm: (email: string, code: string) => identity.confirmSignUp(email, code),
    login: (email: string, password: string) =>
      guardedLogin(email, () => identity.passwordLogin(email, password)),
    completeNewPassword: (email: string, session: string, newPassword: string) =>
      guardedLogin(email, () => identity.completeNewPassword(email, session, newPassword)),
    refresh: (refreshToken: string) => identity.refresh(refreshToken),
    logout: async (context: ServiceContext, refreshToken: string) => {
      await identity.revokeRefreshToken(refreshToken);
      const userId = context.actor.userId;
      await accessEvents.record(
        userEvent(context, userId, USER_EVENT_ACTIONS.logout, `logout of user ${userId}`),
      );
    },
  };
};

export type AuthService = ReturnType<typeof createAuthService>;
