/**
 * Fixed-window hit counters in Main (shared/data/entities/identity.ts): one UpdateItem per hit
 * that creates the window's item and answers the count after it.
 */
import type { RateCounter } from '#domain/identity/abuse-limits.ts';
import { rateCounterEntity } from './entities/identity.ts';
import { ITEM_KINDS } from './keys.ts';

export const rateCounters: RateCounter = {
  hit: async (counterKey, windowStart, windowSeconds) => {
    const counted = await rateCounterEntity.update(
      { counterKey, windowStart },
      {
        increment: ['hits'],
        set: { kind: ITEM_KINDS.rateCounter, windowStart, ttl: windowStart + windowSeconds },
      },
    );
    return counted.hits;
  },
};
