import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  endpointGivenUp,
  RETRY_SCHEDULE,
  retriesExhausted,
  retryDelayMs,
} from '../../shared/domain/webhooks/schedule.ts';
import { newWebhookSecret, signDelivery, signingSecrets } from '../../shared/domain/webhooks/signing.ts';

const BODY = JSON.stringify({
  type: 'contract.acknowledged',
  timestamp: '2026-03-02T09:00:00.000Z',
  data: {},
});
const AT = new Date();

describe('webhook signatures', () => {
  it('verify with the standardwebhooks package', () => {
    // Prepare
    const secret = newWebhookSecret();

    // Act
    const headers = signDelivery('msg_1', AT, BODY, [secret]);

    // Assess
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
  });

  it('fail verification when the body was tampered with', () => {
    // Prepare
    const secret = newWebhookSecret();
    const headers = signDelivery('msg_1', AT, BODY, [secret]);

    // Act
    const verify = () =>
      new Webhook(secret).verify(BODY.replace('acknowledged', 'terminated'), { ...headers });

    // Assess
    expect(verify).toThrow(/No matching signature/);
  });

  it('carry both signatures while a secret rotates, each verifying alone', () => {
    // Prepare
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const endpoint = {
      secret: current,
      previousSecret: previous,
      previousSecretUntil: new Date(AT.getTime() + 1000).toISOString(),
    };

    // Act
    const secrets = signingSecrets(endpoint, AT);
    const headers = signDelivery('msg_1', AT, BODY, secrets);

    // Assess
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(BODY, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(BODY, { ...headers })).not.toThrow();
  });

  it('drop the previous secret once its 24 h are over', () => {
    // Prepare
    const endpoint = { secret: 'whsec_a', previousSecret: 'whsec_b', previousSecretUntil: AT.toISOString() };

    // Act
    const secrets = signingSecrets(endpoint, AT);

    // Assess
    expect(secrets).toEqual(['whsec_a']);
  });

  it('keep the webhook-id on a later attempt, with a new timestamp', () => {
    // Prepare
    const secret = newWebhookSecret();
    const first = signDelivery('msg_1', new Date(AT.getTime() - 60_000), BODY, [secret]);

    // Act
    const retry = signDelivery('msg_1', AT, BODY, [secret]);

    // Assess
    expect(retry['webhook-id']).toBe(first['webhook-id']);
    expect(retry['webhook-timestamp']).not.toBe(first['webhook-timestamp']);
    expect(retry['webhook-signature']).not.toBe(first['webhook-signature']);
  });
});

describe('webhook retry schedule', () => {
  it('doubles the delay per failure, with jitter between half and all of it, up to an hour', () => {
    // Prepare
    const low = () => 0;
    const high = () => 1;

    // Act
    const delays = [1, 2, 3, 20].map((failures) => [
      retryDelayMs(failures, 1, low),
      retryDelayMs(failures, 1, high),
    ]);

    // Assess
    expect(delays).toEqual([
      [2_500, 5_000],
      [5_000, 10_000],
      [10_000, 20_000],
      [RETRY_SCHEDULE.maxDelayMs / 2, RETRY_SCHEDULE.maxDelayMs],
    ]);
  });

  it('compresses every duration by the time scale (the twin)', () => {
    // Prepare
    const first = new Date('2026-03-02T00:00:00.000Z');

    // Act
    const delay = retryDelayMs(1, 0.001, () => 1);
    const givenUp = retriesExhausted(first, new Date(first.getTime() + 86_400), 0.001);
    const notYet = retriesExhausted(first, new Date(first.getTime() + 86_399), 0.001);

    // Assess
    expect(delay).toBe(5);
    expect([givenUp, notYet]).toEqual([true, false]);
  });

  it('gives a delivery up after 24 h and an endpoint after 5 days', () => {
    // Prepare
    const since = new Date('2026-03-02T00:00:00.000Z');
    const day = 86_400_000;

    // Act
    const outcomes = [
      retriesExhausted(since, new Date(since.getTime() + day - 1)),
      retriesExhausted(since, new Date(since.getTime() + day)),
      endpointGivenUp(since, new Date(since.getTime() + 5 * day - 1)),
      endpointGivenUp(since, new Date(since.getTime() + 5 * day)),
    ];

    // Assess
    expect(outcomes).toEqual([false, true, false, true]);
  });
});
