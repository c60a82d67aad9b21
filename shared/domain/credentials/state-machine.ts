/**
 * The credential life cycle as a table (DESIGN.md "Flows → Credentials"): pending → active
 * (verified) | rejected; active → expired (by the sweep) | revoked. The same table answers
 * "is this allowed?" for the service (which hands the repository the `from` states it writes
 * on) and the tests.
 */
import type { Lifecycle, Transition } from '../lifecycle.ts';

export const CREDENTIAL_STATUSES = ['pending', 'active', 'expired', 'rejected', 'revoked'] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

export const CREDENTIAL_TRANSITIONS = {
  verify: { from: ['pending'], to: 'active' },
  reject: { from: ['pending'], to: 'rejected' },
  revoke: { from: ['active'], to: 'revoked' },
  // The expiry sweep's, never a route's.
  expire: { from: ['active'], to: 'expired' },
} as const satisfies Record<string, Transition<CredentialStatus>>;

export type CredentialTransition = keyof typeof CREDENTIAL_TRANSITIONS;

const DONE: Readonly<Record<CredentialTransition, string>> = {
  verify: 'verified',
  reject: 'rejected',
  revoke: 'revoked',
  expire: 'expired',
};

export const CREDENTIAL_LIFECYCLE = {
  resource: 'Credential',
  transitions: CREDENTIAL_TRANSITIONS,
  refusal: (transition, current) => `A ${current} credential cannot be ${DONE[transition]}`,
  overtaken: (action, current) => `The credential is ${current}: it cannot be moved by ${action}`,
} as const satisfies Lifecycle<'Credential', CredentialStatus, CredentialTransition>;

/**
 * Statuses whose credentials sit in the expiry-day index (gsi2): the ones an expiry can still
 * change. A credential leaves it once expired, revoked or rejected, so past buckets stay small.
 */
export const EXPIRY_TRACKED_STATUSES: readonly CredentialStatus[] = ['pending', 'active'];

export const isExpiryTracked = (status: CredentialStatus): boolean =>
  EXPIRY_TRACKED_STATUSES.includes(status);
