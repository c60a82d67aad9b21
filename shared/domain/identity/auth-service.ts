/**
 * Sign-up, login (with the NEW_PASSWORD_REQUIRED challenge), refresh, logout and /me. Wrong
 * passwords and unknown emails answer the same 401; five failures for one email within 15
 * minutes lock it for 15 minutes (429), unknown emails included.
 */
import type { AccessEventRepository } from '../access-events.ts';
import type { ServiceContext } from '../context.ts';
import { Conflict, TooManyRequests, Unauthorized } from '../errors.ts';
import type { Role } from '../roles.ts';
import type { StaffProfileRepository } from '../staff/ports.ts';
import { LOGIN_LIMITS, type LoginLimits, loginThrottleKey } from './abuse-limits.ts';
import type { MfaService } from './mfa.ts';
import type {
  IdentityProvider,
  LoginOutcome,
  LoginThrottleLimits,
  LoginThrottleStore,
  SessionTokens,
} from './ports.ts';
import type { SessionRevoker, TokenSession } from './sessions.ts';
import { USER_EVENT_ACTIONS, userEvent } from './user-events.ts';

/** Failures of one email from one source (shared/domain/identity/abuse-limits.ts). */
export const LOGIN_THROTTLE: LoginThrottleLimits = LOGIN_LIMITS.perEmailAndSource;

export { loginThrottleKey };

export interface AuthServiceDeps {
  identity: IdentityProvider;
  throttle: LoginThrottleStore;
  /** Sign-up and logout change no item in Main: each records a User access event (the ledger's entry). */
  accessEvents: AccessEventRepository;
  /** /me answers the caller's staff profile id. */
  profiles: Pick<StaffProfileRepository, 'profileIdOfUser'>;
  /** Ends the session a logout names (the function passes it). */
  sessions?: Pick<SessionRevoker, 'endSession' | 'endAllSessions'>;
  /** MFA for the roles that require it (without it, logins answer tokens as before). */
  mfa?: Pick<MfaService, 'gate' | 'answerChallenge' | 'verifyWithSession'>;
  /** Login limits per (email, source) and per email; LOGIN_LIMITS unless configured. */
  loginLimits?: LoginLimits;
  now?: () => Date;
}

/** The user a login is for, as the API answers it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
}

/** A login's answer: the challenge, or tokens plus the user they are for. */
export type LoginResult =
  | Extract<LoginOutcome, { kind: 'challenge' }>
  | { kind: 'tokens'; tokens: SessionTokens & { refreshToken: string }; user: SessionUser };

/** The caller as the verified token names them (access tokens carry no email or name). */
export interface Caller {
  userId: string;
  roles: Role[];
  email?: string;
  name?: string;
}

export const createAuthService = ({
  identity,
  throttle,
  accessEvents,
  profiles,
  sessions,
  mfa,
  loginLimits = LOGIN_LIMITS,
  now = () => new Date(),
}: AuthServiceDeps) => {
  const gated = async (outcome: LoginOutcome) => (mfa === undefined ? outcome : mfa.gate(outcome));

  /**
   * Counts failures per email and per (email, source): the per-email key first (its counter is
   * the one written before sources were counted). A source the caller's request context does
   * not name counts as one unnamed source.
   */
  const guardedLogin = async (
    email: string,
    source: string | undefined,
    attempt: () => Promise<LoginOutcome>,
  ): Promise<LoginOutcome> => {
    const counters = [
      { key: loginThrottleKey(email), limits: loginLimits.perEmail },
      { key: loginThrottleKey(email, source ?? ''), limits: loginLimits.perEmailAndSource },
    ];
    const at = now();
    const locks = await Promise.all(counters.map(({ key }) => throttle.lockedUntil(key, at)));
    const lockedUntil = Math.max(0, ...locks.map((lock) => lock?.getTime() ?? 0));
    if (lockedUntil > 0) {
      const retryAfter = Math.max(1, Math.ceil((lockedUntil - at.getTime()) / 1000));
      throw new TooManyRequests('Too many failed logins for this email; try again later', retryAfter);
    }
    try {
      const outcome = await attempt();
      for (const { key } of counters) await throttle.clear(key);
      return outcome;
    } catch (error) {
      if (error instanceof Unauthorized)
        for (const { key, limits } of counters) await throttle.recordFailure(key, at, limits);
      throw error;
    }
  };

  /** The id token names the user; the name comes from the user record when the token lacks it. */
  const withUser = async (outcome: LoginOutcome): Promise<LoginResult> => {
    if (outcome.kind === 'challenge') return outcome;
    const { id, email, name, roles } = identity.userOfIdToken(outcome.tokens.idToken);
    const known = name ?? (await identity.getUser(id))?.name ?? '';
    return { ...outcome, user: { id, email, name: known, roles } };
  };

  return {
    /** The new user is the actor of their own sign-up (they hold no role yet). */
    /**
     * An existing email answers as a new one (Cognito's user-existence protection does not cover
     * SignUp): nothing is created, recorded or sent.
     */
    signUp: async (input: { email: string; password: string; name: string }, requestId: string) => {
      const created = await identity.signUp(input).catch((error: unknown) => {
        if (error instanceof Conflict) return undefined;
        throw error;
      });
      if (created === undefined) return undefined;
      const context: ServiceContext = { actor: { userId: created.userId, roles: [] }, now: now(), requestId };
      await accessEvents.record(
        userEvent(context, created.userId, USER_EVENT_ACTIONS.signUp, `sign-up of user ${created.userId}`),
      );
      return created;
    },
    confirm: (email: string, code: string) => identity.confirmSignUp(email, code),
    /** `source`: the caller's IP as the gateway saw it (the request context's sourceIp). */
    login: async (email: string, password: string, source?: string) =>
      withUser(
        await guardedLogin(email, source, async () => gated(await identity.passwordLogin(email, password))),
      ),
    completeNewPassword: async (email: string, session: string, newPassword: string, source?: string) =>
      withUser(
        await guardedLogin(email, source, async () =>
          gated(await identity.completeNewPassword(email, session, newPassword)),
        ),
      ),
    /** A TOTP code answers SOFTWARE_TOKEN_MFA; a wrong one counts as a failed login. */
    answerMfaChallenge: async (email: string, session: string, code: string, source?: string) => {
      if (mfa === undefined) throw new Unauthorized('MFA is not available');
      return withUser(await guardedLogin(email, source, () => mfa.answerChallenge(email, session, code)));
    },
    /** The first code of an MFA_SETUP login: enrolment completes and the held tokens are answered. */
    completeMfaSetup: async (email: string, session: string, code: string, requestId: string) => {
      if (mfa === undefined) throw new Unauthorized('MFA is not available');
      return withUser(await mfa.verifyWithSession(email, session, code, requestId));
    },
    refresh: (refreshToken: string) => identity.refresh(refreshToken),
    /** Revokes the refresh token, and ends the session of the token the caller logged out with. */
    logout: async (context: ServiceContext, refreshToken: string, session?: TokenSession) => {
      await identity.revokeRefreshToken(refreshToken);
      const userId = context.actor.userId;
      const ended = session?.originJti !== undefined && sessions !== undefined;
      if (ended) await sessions?.endSession(userId, session);
      const summary = `logout of user ${userId}${ended ? '; session ended' : ''}`;
      await accessEvents.record(userEvent(context, userId, USER_EVENT_ACTIONS.logout, summary));
    },
    /** GET /me: the caller, completed from the user record, and their staff profile id. */
    me: async (caller: Caller) => {
      const record = caller.email && caller.name ? undefined : await identity.getUser(caller.userId);
      return {
        id: caller.userId,
        email: caller.email ?? record?.email ?? '',
        name: caller.name ?? record?.name ?? '',
        roles: caller.roles,
        staffProfileId: (await profiles.profileIdOfUser(caller.userId)) ?? null,
      };
    },
  };
};

export type AuthService = ReturnType<typeof createAuthService>;
