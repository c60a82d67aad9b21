/**
 * What every domain service call carries: who acts, when, and for which request. Services take
 * it instead of API Gateway events; repositories stamp it on every item they write as
 * `lastActor`, so a stream image alone tells the audit ledger who did what.
 */
import type { Actor } from './policy.ts';

export interface ServiceContext {
  actor: Actor;
  now: Date;
  requestId: string;
}

/** Changes made by the system (the expiry sweep, a trigger) are attributed to it. */
export const SYSTEM_ACTOR: Actor = { userId: 'system', roles: [] };
export const SYSTEM_ROLES = ['system'] as const;

/** The attribution stamped on an item by the write that last changed it. */
export interface LastActor {
  userId: string;
  roles: string[];
  requestId: string;
  /** The audit action: `create`, `update`, a transition name (`verify`, `offer`, …). */
  action: string;
}

export const lastActorOf = (context: ServiceContext, action: string): LastActor => ({
  userId: context.actor.userId,
  roles: context.actor.userId === SYSTEM_ACTOR.userId ? [...SYSTEM_ROLES] : [...context.actor.roles],
  requestId: context.requestId,
  action,
});

/** Attributes every entity item carries (DESIGN.md "Data"). */
export interface EntityMeta {
  version: number;
  createdAt: string;
  updatedAt: string;
  lastActor: LastActor;
}

/** The meta of a new entity: version 1. */
export const newEntityMeta = (context: ServiceContext, action = 'create'): EntityMeta => ({
  version: 1,
  createdAt: context.now.toISOString(),
  updatedAt: context.now.toISOString(),
  lastActor: lastActorOf(context, action),
});
