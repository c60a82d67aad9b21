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
