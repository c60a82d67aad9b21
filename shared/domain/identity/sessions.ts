/**
 * Revocation, as the service checks it (the JWT authorizer cannot know about it). Each user has
 * one session record: `sessionsValidAfter` ends every session at once (disable, role change,
 * password change or reset) and `revokedSessions` holds the `origin_jti` of each session ended
 * alone (logout). A token is refused when it was issued before `sessionsValidAfter` or belongs
 * to a revoked session. The record only matters while tokens issued before it are alive, so it
 * expires with them (`ttl`).
 */
import { SessionRevoked } from '../errors.ts';

export interface SessionRecord {
  userId: string;
  /** Epoch seconds: tokens with an earlier `iat` are refused. */
  sessionsValidAfter?: number;
  /** The `origin_jti` of each session ended alone. */
  revokedSessions: readonly string[];
  /** Epoch seconds: the newest token issued before the last revocation has expired by then. */
  ttl: number;
}

/** What a token says of its session: when it was issued and which authentication it belongs to. */
export interface TokenSession {
  /** `iat`, epoch seconds. */
  issuedAt: number;
  /** `origin_jti`: the same for every token of one authentication, refreshes included. */
  originJti?: string;
}

export type RevocationReason =
  | 'logout'
  | 'disabled'
  | 'roles.change'
  | 'password.change'
  | 'password.reset'
  | 'mfa.reset';

/** Why a session is no longer valid, or undefined while it is. */
export const revocationOf = (
  record: SessionRecord | undefined,
  token: TokenSession,
  nowSeconds: number,
): 'ended' | undefined => {
  if (record === undefined || record.ttl <= nowSeconds) return undefined;
  if (record.sessionsValidAfter !== undefined && token.issuedAt < record.sessionsValidAfter) return 'ended';
  if (token.originJti !== undefined && record.revokedSessions.includes(token.originJti)) return 'ended';
  return undefined;
};

export const assertSessionLive = (record: SessionRecord | undefined, token: TokenSession, now: Date) => {
  if (revocationOf(record, token, Math.floor(now.getTime() / 1000)) !== undefined) throw new SessionRevoked();
};

/**
 * The first second whose tokens stay valid after ending every session now. Token `iat` is in
 * whole seconds, so a token of this very second could predate the revocation: the next second
 * is the first one that cannot.
 */
export const nextWholeSecond = (now: Date): number => Math.floor(now.getTime() / 1000) + 1;

/** Where revocations are kept (shared/data/user-sessions.ts). */
export interface SessionStore {
  read(userId: string): Promise<SessionRecord | undefined>;
  /** Ends one session; the record lives at least until `aliveUntil` (epoch seconds). */
  revokeSession(userId: string, originJti: string, aliveUntil: number): Promise<void>;
  /** Ends every session issued before `validAfter`; the record lives at least until `aliveUntil`. */
  endSessionsBefore(userId: string, validAfter: number, aliveUntil: number): Promise<void>;
}

/** What ending sessions does to the user's live sockets: a `session.revoked` frame, then close. */
export interface SocketCloser {
  closeSockets(
    userId: string,
    reason: RevocationReason,
    which: { originJti: string } | 'all',
  ): Promise<number>;
}

export interface SessionRevokerDeps {
  store: SessionStore;
  sockets: SocketCloser;
  /** The provider's own sign-out of every session (Cognito AdminUserGlobalSignOut: refresh tokens die). */
  signOutEverywhere: (userId: string) => Promise<void>;
  /** How long a token lives (seconds): a revocation record is kept that long. */
  tokenLifetimeSeconds: number;
  /** The real clock (revocation waits on it, so a login right after the answer is valid). */
  clock?: () => Date;
  wait?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const createSessionRevoker = ({
  store,
  sockets,
  signOutEverywhere,
  tokenLifetimeSeconds,
  clock = () => new Date(),
  wait = pause,
}: SessionRevokerDeps) => {
  const aliveUntil = (now: Date) => Math.floor(now.getTime() / 1000) + tokenLifetimeSeconds + 1;
  return {
    /** Logout: this session's tokens are refused and its sockets closed; other sessions go on. */
    endSession: async (userId: string, session: TokenSession): Promise<void> => {
      if (session.originJti === undefined) return;
      await store.revokeSession(userId, session.originJti, aliveUntil(clock()));
      await sockets.closeSockets(userId, 'logout', { originJti: session.originJti });
    },

    /**
     * Every session of the user ends. Answers once the next whole second has begun: a login
     * after the answer then gets an `iat` at or past `sessionsValidAfter` and is valid.
     */
    endAllSessions: async (userId: string, reason: RevocationReason): Promise<void> => {
      await signOutEverywhere(userId);
      const now = clock();
      const validAfter = nextWholeSecond(now);
      await store.endSessionsBefore(userId, validAfter, aliveUntil(now));
      await sockets.closeSockets(userId, reason, 'all');
      const remaining = validAfter * 1000 - clock().getTime();
      if (remaining > 0) await wait(remaining);
    },
  };
};

export type SessionRevoker = ReturnType<typeof createSessionRevoker>;
