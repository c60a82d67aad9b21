/**
 * Revocation checked per request: each container keeps a user's session record for at most
 * `SESSION_CACHE_SECONDS` (≤ 30 s), so a revocation reaches every container within that time,
 * and a container that wrote one sees it at once. Every function that acts for a user checks
 * through it: the HTTP stack, the WebSocket authorizer, `$default` and deliveries.
 */

import { userMfaStore } from '#data/user-mfa.ts';
import { userSessionStore } from '#data/user-sessions.ts';
import { SessionRevoked } from '#domain/errors.ts';
import { type MfaStore, mfaRequired } from '#domain/identity/mfa.ts';
import {
  assertSessionLive,
  revocationOf,
  type SessionRecord,
  type SessionStore,
  type TokenSession,
} from '#domain/identity/sessions.ts';
import type { Role } from '#domain/roles.ts';
import { optionalEnv } from './config.ts';

const MAX_CACHE_SECONDS = 30;
// A container serves a bounded crowd; past this many users the cache starts over.
const MAX_CACHED_USERS = 10_000;

/** A token's session, and the roles it claims (MFA is required for some). */
export type CheckedToken = TokenSession & { roles?: readonly Role[] };

export interface SessionGuard {
  /**
   * Throws SessionRevoked when the token's session has ended, or when its roles require MFA
   * and the user has not enrolled (a login straight against Cognito skips the service's check).
   */
  check(userId: string, token: CheckedToken, now?: Date): Promise<void>;
  /** Whether the token's session has ended (deliveries skip instead of throwing). */
  isRevoked(userId: string, token: TokenSession, now?: Date): Promise<boolean>;
  /** The store, with each write also dropping the cached record. */
  store: SessionStore;
}

const cacheSecondsOf = (value: string | undefined): number => {
  const seconds = Number(value ?? MAX_CACHE_SECONDS);
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), MAX_CACHE_SECONDS) : MAX_CACHE_SECONDS;
};

const MFA_NOT_ENROLLED = 'Your role requires MFA: log in again and enrol an authenticator';

export const createSessionGuard = (
  store: SessionStore,
  cacheSeconds: number,
  mfa?: Pick<MfaStore, 'enrolled'>,
): SessionGuard => {
  // Only enrolments are kept: a user who enrols is let in at once, a reset ends every session anyway.
  const enrolledAt = new Map<string, number>();
  const assertEnrolled = async (userId: string, roles: readonly Role[] | undefined, now: number) => {
    if (mfa === undefined || roles === undefined || !mfaRequired(roles)) return;
    const cached = enrolledAt.get(userId);
    if (cached !== undefined && now - cached < cacheSeconds * 1000) return;
    if (!(await mfa.enrolled(userId))) throw new SessionRevoked(MFA_NOT_ENROLLED);
    if (enrolledAt.size >= MAX_CACHED_USERS) enrolledAt.clear();
    enrolledAt.set(userId, now);
  };
  const cache = new Map<string, { record: Promise<SessionRecord | undefined>; readAt: number }>();
  const recordOf = (userId: string, now: number) => {
    const cached = cache.get(userId);
    if (cached !== undefined && now - cached.readAt < cacheSeconds * 1000) return cached.record;
    if (cache.size >= MAX_CACHED_USERS) cache.clear();
    const record = store.read(userId);
    // A failed read is not kept: the next request asks again.
    record.catch(() => cache.delete(userId));
    cache.set(userId, { record, readAt: now });
    return record;
  };
  const forgetting =
    <A extends [string, ...unknown[]]>(write: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      await write(...args);
      cache.delete(args[0]);
    };
  return {
    check: async (userId, token, now = new Date()) => {
      assertSessionLive(await recordOf(userId, now.getTime()), token, now);
      await assertEnrolled(userId, token.roles, now.getTime());
    },
    isRevoked: async (userId, token, now = new Date()) =>
      revocationOf(await recordOf(userId, now.getTime()), token, Math.floor(now.getTime() / 1000)) !==
      undefined,
    store: {
      read: store.read,
      revokeSession: forgetting(store.revokeSession),
      endSessionsBefore: forgetting(store.endSessionsBefore),
    },
  };
};

export const sessionGuard = createSessionGuard(
  userSessionStore,
  cacheSecondsOf(optionalEnv('sessionCacheSeconds')),
  userMfaStore,
);

/** Whether the session a WebSocket connection was opened with has ended (checked at every delivery). */
export const connectionSessionEnded = (connection: {
  userId: string;
  issuedAt?: number;
  originJti?: string;
}): Promise<boolean> =>
  sessionGuard.isRevoked(connection.userId, {
    issuedAt: connection.issuedAt ?? 0,
    ...(connection.originJti === undefined ? {} : { originJti: connection.originJti }),
  });
