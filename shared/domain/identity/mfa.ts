/**
 * TOTP MFA through the identity provider (Cognito: AssociateSoftwareToken, VerifySoftwareToken,
 * SetUserMFAPreference, the SOFTWARE_TOKEN_MFA challenge), required for the roles that hold the
 * most power. Cognito sends MFA_SETUP only when MFA is required pool-wide, so the service
 * enforces it per role: a password login of such a user without MFA answers MFA_SETUP with a
 * session of the service's own, the tokens held server-side until enrolment completes. The
 * per-request session check refuses their tokens too (shared/runtime/session-guard.ts), so a
 * login straight against Cognito cannot skip enrolment.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AccessEventRepository } from '../access-events.ts';
import type { ServiceContext } from '../context.ts';
import { NotFound, Unauthorized } from '../errors.ts';
import { authorize } from '../policy.ts';
import type { Role } from '../roles.ts';
import type { LoginOutcome, SessionTokens, TokenUser } from './ports.ts';
import type { SessionRevoker } from './sessions.ts';
import { USER_EVENT_ACTIONS, userEvent } from './user-events.ts';

/** The roles that must log in with a second factor. */
export const MFA_REQUIRED_ROLES: readonly Role[] = ['admin', 'credentialing'];

export const mfaRequired = (roles: readonly Role[]): boolean =>
  roles.some((role) => MFA_REQUIRED_ROLES.includes(role));

/** How long an MFA_SETUP session holds its tokens (Cognito's own challenge sessions last 3 minutes). */
export const MFA_SETUP_SECONDS = 5 * 60;

/** The issuer an authenticator app shows beside the account. */
export const TOTP_ISSUER = 'Shiftline';

export type Tokens = SessionTokens & { refreshToken: string };

/** The provider's TOTP calls (shared/data/cognito-mfa.ts). */
export interface MfaProvider {
  /** A new secret for the user of the access token (not active until verified). */
  associate(accessToken: string): Promise<string>;
  /** Checks a code against the associated secret and turns TOTP on as the preferred factor. */
  verify(accessToken: string, code: string): Promise<void>;
  /** Answers the SOFTWARE_TOKEN_MFA challenge of a login. */
  answerChallenge(email: string, session: string, code: string): Promise<LoginOutcome>;
  /** Turns TOTP off for the user (a lost device). */
  reset(userId: string): Promise<void>;
}

/** Who enrolled (the session check reads it) and the tokens an MFA_SETUP session holds. */
export interface MfaStore {
  enrolled(userId: string): Promise<boolean>;
  markEnrolled(userId: string, at: Date): Promise<void>;
  clearEnrolment(userId: string): Promise<void>;
  /** Holds tokens under the hash of a session id until `expiresAt` (epoch seconds). */
  holdSetup(sessionHash: string, held: HeldSetup, expiresAt: number): Promise<void>;
  /** The held setup, or undefined when unknown or expired. */
  heldSetup(sessionHash: string, nowSeconds: number): Promise<HeldSetup | undefined>;
  dropSetup(sessionHash: string): Promise<void>;
}

export interface HeldSetup {
  userId: string;
  email: string;
  tokens: Tokens;
}

export interface MfaServiceDeps {
  provider: MfaProvider;
  store: MfaStore;
  sessions: Pick<SessionRevoker, 'endAllSessions'>;
  accessEvents: AccessEventRepository;
  /** The user an id token the provider has just issued is for. */
  userOfIdToken: (idToken: string) => TokenUser;
  /** The user's email (for the authenticator's label), or undefined for no such user. */
  emailOf: (userId: string) => Promise<string | undefined>;
  now?: () => Date;
}

const hashOf = (session: string) => createHash('sha256').update(session).digest('hex');

const SETUP_EXPIRED = 'The MFA setup session is invalid or expired: log in again';

/** The `otpauth://` URI an authenticator app scans (Key Uri Format). */
export const otpauthUri = (secretCode: string, email: string): string => {
  const parameters = new URLSearchParams({ secret: secretCode, issuer: TOTP_ISSUER });
  return `otpauth://totp/${encodeURIComponent(`${TOTP_ISSUER}:${email}`)}?${parameters}`;
};

export const createMfaService = ({
  provider,
  store,
  sessions,
  accessEvents,
  userOfIdToken,
  emailOf,
  now = () => new Date(),
}: MfaServiceDeps) => {
  const heldOf = async (session: string, email?: string): Promise<HeldSetup> => {
    const held = await store.heldSetup(hashOf(session), Math.floor(now().getTime() / 1000));
    if (held === undefined || (email !== undefined && held.email !== email))
      throw new Unauthorized(SETUP_EXPIRED);
    return held;
  };

  /** Verifies the code, marks the user enrolled and records it on the user's ledger chain. */
  const enrol = async (userId: string, accessToken: string, code: string, requestId: string) => {
    await provider.verify(accessToken, code);
    const at = now();
    await store.markEnrolled(userId, at);
    const context = { actor: { userId, roles: [] }, now: at, requestId };
    const summary = `TOTP MFA enrolled for user ${userId}`;
    await accessEvents.record(userEvent(context, userId, USER_EVENT_ACTIONS.mfaEnrol, summary));
  };

  return {
    /**
     * A password login's tokens, or MFA_SETUP when the user's roles require MFA: Cognito issued
     * tokens without a challenge, so the user has not enrolled.
     */
    gate: async (outcome: LoginOutcome): Promise<LoginOutcome> => {
      if (outcome.kind !== 'tokens') return outcome;
      const user = userOfIdToken(outcome.tokens.idToken);
      if (!mfaRequired(user.roles)) return outcome;
      const session = randomBytes(32).toString('base64url');
      const expiresAt = Math.floor(now().getTime() / 1000) + MFA_SETUP_SECONDS;
      await store.holdSetup(
        hashOf(session),
        { userId: user.id, email: user.email, tokens: outcome.tokens },
        expiresAt,
      );
      return { kind: 'challenge', challenge: 'MFA_SETUP', session };
    },

    /** POST /auth/mfa/setup with a bearer access token. */
    setupWithToken: async (userId: string, accessToken: string) => {
      // The provider verifies the token: the user it names is known only after this call.
      const secretCode = await provider.associate(accessToken);
      return { secretCode, otpauthUri: otpauthUri(secretCode, (await emailOf(userId)) ?? userId) };
    },

    /** POST /auth/mfa/verify with a bearer access token: MFA on for the caller. */
    verifyWithToken: (userId: string, accessToken: string, code: string, requestId: string) =>
      enrol(userId, accessToken, code, requestId),

    /** POST /auth/mfa/setup `{ session }` of an MFA_SETUP login. */
    setupWithSession: async (session: string) => {
      const held = await heldOf(session);
      const secretCode = await provider.associate(held.tokens.accessToken);
      return { secretCode, otpauthUri: otpauthUri(secretCode, held.email), session };
    },

    /** POST /auth/mfa/verify `{ email, session, code }`: enrolment completes and the held tokens are the login's. */
    verifyWithSession: async (
      email: string,
      session: string,
      code: string,
      requestId: string,
    ): Promise<LoginOutcome> => {
      const held = await heldOf(session, email);
      await enrol(held.userId, held.tokens.accessToken, code, requestId);
      await store.dropSetup(hashOf(session));
      return { kind: 'tokens', tokens: held.tokens };
    },

    /** POST /auth/mfa/challenge: a code answers the SOFTWARE_TOKEN_MFA challenge. */
    answerChallenge: async (email: string, session: string, code: string): Promise<LoginOutcome> => {
      const outcome = await provider.answerChallenge(email, session, code);
      // Cognito challenged, so the user is enrolled: a record lost or never written (enrolment
      // straight against Cognito) is restored here.
      if (outcome.kind === 'tokens')
        await store.markEnrolled(userOfIdToken(outcome.tokens.idToken).id, now());
      return outcome;
    },

    /** POST /users/{id}/mfa/reset (admin): a lost device. Every session of the user ends. */
    reset: async (context: ServiceContext, userId: string) => {
      authorize(context.actor, 'resetMfa', { type: 'User' });
      if ((await emailOf(userId)) === undefined) throw new NotFound('No such user');
      await provider.reset(userId);
      await store.clearEnrolment(userId);
      await sessions.endAllSessions(userId, 'mfa.reset');
      const summary = `MFA of user ${userId} reset; every session ended`;
      await accessEvents.record(userEvent(context, userId, USER_EVENT_ACTIONS.mfaReset, summary));
    },
  };
};

export type MfaService = ReturnType<typeof createMfaService>;
