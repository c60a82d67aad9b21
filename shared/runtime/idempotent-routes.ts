/**
 * What a function whose routes include `request.idempotent` passes to `httpFunction`: the
 * idempotency store, loaded with the first request that carries an Idempotency-Key.
 */
import type { IdempotencyOption } from './http.ts';

export const withIdempotency: IdempotencyOption = { idempotency: () => import('./idempotency.ts') };
