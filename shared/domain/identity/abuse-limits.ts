/**
 * Limits on what an unauthenticated caller can make the service do to someone else's account.
 * Logins are throttled per (email, source IP) — an attacker elsewhere cannot lock a victim out
 * by knowing their email — with a softer per-email limit against many sources at once. Routes
 * that send mail (sign-up, forgot, resend-code) are limited per email and per source, since
 * Cognito's default sender stops near 50 emails a day for the whole account. Keys are hashes:
 * the counter items hold no email or address.
 */
import { createHash } from 'node:crypto';
import { TooManyRequests } from '../errors.ts';
import type { LoginThrottleLimits } from './ports.ts';

export interface LoginLimits {
  /** Failures of one email from one source IP: the lock an attacker can cause is their own. */
  perEmailAndSource: LoginThrottleLimits;
  /** Failures of one email from anywhere: high enough that one source cannot reach it. */
  perEmail: LoginThrottleLimits;
}

export const LOGIN_LIMITS: LoginLimits = {
  perEmailAndSource: { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  perEmail: { maxFailures: 50, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
};

export interface MailLimits {
  /** Mails one address may be sent per window. */
  perEmail: number;
  /** Mail-sending requests one source IP may make per window. */
  perSource: number;
  windowSeconds: number;
}

export const MAIL_LIMITS: MailLimits = { perEmail: 5, perSource: 30, windowSeconds: 60 * 60 };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const normalized = (email: string) => email.trim().toLowerCase();

/**
 * The throttle key of an email, or of an email from one source: a hash, so the counter items
 * hold no PHI. The per-email key is the one issued before sources were counted.
 */
export const loginThrottleKey = (email: string, source?: string): string =>
  source === undefined ? sha256(normalized(email)) : sha256(`${normalized(email)}|${source}`);

/** The counter keys of a mail-sending request: its email and its source, told apart by scope. */
export const mailCounterKeys = (email: string, source: string) => ({
  email: sha256(`mail|email|${normalized(email)}`),
  source: sha256(`mail|source|${source}`),
});

/** Fixed-window hit counters (shared/data/rate-counters.ts). */
export interface RateCounter {
  /** Counts one hit in the window starting at `windowStart` (epoch seconds); the count after it. */
  hit(key: string, windowStart: number, windowSeconds: number): Promise<number>;
}

/**
 * Admits a mail-sending request or refuses it with 429 and Retry-After: the same for known and
 * unknown emails (counting says nothing about accounts).
 */
export const createMailLimiter = (counter: RateCounter, limits: MailLimits, now = () => new Date()) => ({
  admit: async (email: string, source: string): Promise<void> => {
    const seconds = Math.floor(now().getTime() / 1000);
    const windowStart = seconds - (seconds % limits.windowSeconds);
    const keys = mailCounterKeys(email, source);
    const [byEmail, bySource] = await Promise.all([
      counter.hit(keys.email, windowStart, limits.windowSeconds),
      counter.hit(keys.source, windowStart, limits.windowSeconds),
    ]);
    if (byEmail > limits.perEmail || bySource > limits.perSource) {
      const retryAfter = Math.max(1, windowStart + limits.windowSeconds - seconds);
      throw new TooManyRequests('Too many emails requested; try again later', retryAfter);
    }
  },
});

export type MailLimiter = ReturnType<typeof createMailLimiter>;
