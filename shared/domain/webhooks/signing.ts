/**
 * Standard Webhooks signatures: `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`
 * with the `standardwebhooks` package, so receivers verifying with it agree by construction.
 * While a secret rotates, a delivery carries one signature per valid secret, space-separated
 * (the spec lets receivers accept any one of them).
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const SECRET_PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes (the spec asks for 24 to 64). */
export const newWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The headers of one attempt: signed afresh at `at`, by every secret given (newest first). */
export const signDelivery = (
  webhookId: string,
  at: Date,
  body: string,
  secrets: readonly string[],
): SignedHeaders => {
  if (secrets.length === 0) throw new Error('a delivery needs at least one secret');
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(webhookId, at, body)).join(' '),
  };
};

/** The secrets that sign at `now`: the current one, and the previous one until it lapses. */
export const signingSecrets = (
  endpoint: { secret: string; previousSecret?: string; previousSecretUntil?: string },
  now: Date,
): string[] =>
  endpoint.previousSecret !== undefined &&
  endpoint.previousSecretUntil !== undefined &&
  Date.parse(endpoint.previousSecretUntil) > now.getTime()
    ? [endpoint.secret, endpoint.previousSecret]
    : [endpoint.secret];
