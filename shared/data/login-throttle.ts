/**
 * Failed-login counters in Main, one item per email (hashed) with `ttl`. DynamoDB Local never
 * expires items, so every read and condition treats an item past its `ttl` as absent.
 */
import type { LoginThrottleStore } from '#domain/identity/ports.ts';
import { is } from './conditions.ts';
import { loginThrottleEntity } from './entities/identity.ts';
import { applied, refusedAs } from './entity-writes.ts';

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Counts a failure in the live window; false when there is no live window to count in. */
const countInWindow = (emailKey: string, now: Date) =>
  loginThrottleEntity
    .update({ emailKey }, { increment: ['failures'] }, [is.present(), is.above('ttl', seconds(now))])
    .catch(refusedAs(undefined));

/** Opens a window with its first failure, unless a live one exists (a racing request opened it). */
const openWindow = (emailKey: string, now: Date, windowSeconds: number) =>
  applied(
    loginThrottleEntity.put(
      { emailKey, failures: 1, windowStartedAt: now.toISOString(), ttl: seconds(now) + windowSeconds },
      [is.any(is.absent(), is.atMost('ttl', seconds(now)))],
    ),
  );

export const loginThrottleStore: LoginThrottleStore = {
  lockedUntil: async (emailKey, now) => {
    const lockedUntil = (await loginThrottleEntity.get({ emailKey }, { consistent: true }))?.lockedUntil;
    if (typeof lockedUntil !== 'number' || lockedUntil <= seconds(now)) return undefined;
    return new Date(lockedUntil * 1000);
  },

  recordFailure: async (emailKey, now, limits) => {
    let counted = await countInWindow(emailKey, now);
    if (!counted && (await openWindow(emailKey, now, limits.windowSeconds))) return;
    counted ??= await countInWindow(emailKey, now);
    if (!counted || counted.failures < limits.maxFailures || counted.lockedUntil !== undefined) return;
    const lockedUntil = seconds(now) + limits.lockSeconds;
    await applied(
      loginThrottleEntity.update({ emailKey }, { set: { lockedUntil, ttl: lockedUntil } }, [
        is.present(),
        is.absent('lockedUntil'),
      ]),
    );
  },

  clear: (emailKey) => loginThrottleEntity.remove({ emailKey }),
};
