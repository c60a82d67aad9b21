import type { RouteThrottleClass, Throttle } from '#shared/limits.ts';
import { type RouteDefinition, routeKeyOf } from '#shared/routes.ts';

/** Stage throttling as API Gateway applies it: a steady rate with a burst allowance. */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();
  private readonly rate: number;
  private readonly burst: number;

  constructor(limits: { rateLimit: number; burstLimit: number }) {
    this.rate = limits.rateLimit;
    this.burst = limits.burstLimit;
    this.tokens = limits.burstLimit;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** One bucket per route that names a throttle class, by route key (API Gateway's route settings). */
export const routeBuckets = (
  routes: readonly RouteDefinition[],
  throttles: Record<RouteThrottleClass, Throttle> | 'off',
): Map<string, TokenBucket> =>
  throttles === 'off'
    ? new Map()
    : new Map(
        routes.flatMap((route) =>
          route.throttle === undefined
            ? []
            : [[routeKeyOf(route), new TokenBucket(throttles[route.throttle])]],
        ),
      );
