import type { Tokens } from '#domain/identity/mfa.ts';
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

export interface UserMfa {
  userId: string;
  enrolledAt: string;
}

/** `MFA#<sub>`: present while the user has TOTP MFA on; no ttl (it lasts until a reset). */
export const userMfaEntity = defineEntity<UserMfa>()({
  kind: ITEM_KINDS.userMfa,
  primary: {
    pk: { prefix: PREFIX.userMfa, fields: ['userId'] },
    sk: { prefix: PREFIX.userMfa, fields: ['userId'] },
  },
});

export interface MfaSetup {
  /** sha256 of the session id handed to the client: the key holds nothing usable. */
  sessionHash: string;
  userId: string;
  email: string;
  tokens: Tokens;
  /** Epoch seconds; DynamoDB Local never expires items, so readers compare it themselves. */
  ttl: number;
}

/** `MFASETUP#<sha256(session)>`: the tokens of an MFA_SETUP login, held until enrolment completes. */
export const mfaSetupEntity = defineEntity<MfaSetup>()({
  kind: ITEM_KINDS.mfaSetup,
  primary: {
    pk: { prefix: PREFIX.mfaSetup, fields: ['sessionHash'] },
    sk: { prefix: PREFIX.mfaSetup, fields: ['sessionHash'] },
  },
  encode: ({ sessionHash: _inKey, ...stored }) => stored,
});

export interface RateCounterItem {
  /** sha256 of what is counted (an email, a source), never the thing itself. */
  counterKey: string;
  /** Epoch seconds: the start of the fixed window counted. */
  windowStart: number;
  hits: number;
  /** Epoch seconds; DynamoDB Local never expires items, and a new window is a new item anyway. */
  ttl: number;
}

/** `THROTTLE#RATE#<sha256>` / `<window start>`: one window's hits of one key. */
export const rateCounterEntity = defineEntity<RateCounterItem>()({
  kind: ITEM_KINDS.rateCounter,
  primary: {
    pk: { prefix: PREFIX.rateCounter, fields: ['counterKey'] },
    sk: { prefix: PREFIX.rateCounter, fields: ['windowStart'] },
  },
  encode: ({ counterKey: _inKey, ...stored }) => stored,
});
