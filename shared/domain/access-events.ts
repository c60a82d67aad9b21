/**
 * Access events: reads of sensitive things (a credential document, a date of birth read by
 * someone other than its owner) and identity events that change no entity item (sign-up,
 * logout, role changes, invitations of non-staff, disabling, logins). Each rewrites the
 * entity's access-log item in Main, so it reaches the audit ledger by the same stream path as
 * every change (shared/data/access-events.ts says why one item per entity).
 */
import type { LastActor, ServiceContext } from './context.ts';
import { lastActorOf } from './context.ts';

export interface AccessEvent {
  id: string;
  /** The chain it belongs to: `Credential`, `StaffProfile`, `User`. */
  entityType: string;
  entityId: string;
  /** `read.document`, `read.dateOfBirth`, `login`, `signup`, `logout`, `roles.change`, … */
  action: string;
  /** Ids, kinds and counts only: never PHI. */
  summary: string;
  at: string;
  lastActor: LastActor;
}

export interface AccessEventRepository {
  record(event: AccessEvent): Promise<void>;
}

export const accessEvent = (
  context: ServiceContext,
  input: { id: string; entityType: string; entityId: string; action: string; summary: string },
): AccessEvent => ({
  ...input,
  at: context.now.toISOString(),
  lastActor: lastActorOf(context, input.action),
});
