import type { SessionRecord } from '#domain/identity/sessions.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

export interface LoginThrottle {
  /** sha256 of the email: the key holds no PHI (and is not stored beside it). */
  emailKey: string;
  failures: number;
  windowStartedAt: string;
  /** Epoch seconds; DynamoDB Local never expires items, so readers compare it themselves. */
  ttl: number;
  lockedUntil?: number;
}

/** `THROTTLE#LOGIN#<sha256(email)>`: the failed-login counter of one email. */
export const loginThrottleEntity = defineEntity<LoginThrottle>()({
  kind: ITEM_KINDS.loginThrottle,
  primary: {
    pk: { prefix: PREFIX.loginThrottle, fields: ['emailKey'] },
    sk: { prefix: PREFIX.loginThrottle, fields: ['emailKey'] },
  },
  encode: ({ emailKey: _inKey, ...stored }) => stored,
});

/** `SESSION#<sub>`: the revocations of one user's sessions, read on every authenticated request. */
export const userSessionEntity = defineEntity<SessionRecord>()({
  kind: ITEM_KINDS.userSession,
  primary: {
    pk: { prefix: PREFIX.userSession, fields: ['userId'] },
    sk: { prefix: PREFIX.userSession, fields: ['userId'] },
  },
  // A string set in DynamoDB (ADD is idempotent); an array in the record.
  decode: ({ revokedSessions, sessionsValidAfter, ...item }) => ({
    ...item,
    revokedSessions: revokedSessions instanceof Set ? [...revokedSessions].sort() : [],
    ...(typeof sessionsValidAfter === 'number' ? { sessionsValidAfter } : {}),
  }),
});
