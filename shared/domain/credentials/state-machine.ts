/**
 * The credential life cycle as a table (DESIGN.md "Flows → Credentials"): pending → active
 * (verified) | rejected; active → expired (by the sweep) | revoked. The same table answers
 * "is this allowed?" for the service, the repository's condition and the tests.
 */
export const CREDENTIAL_STATUSES = ['pending', 'active', 'expired', 'rejected', 'revoked'] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

export const CREDENTIAL_TRANSITIONS = {
  verify: { from: ['pending'], to: 'active' },
  reject: { from: ['pending'], to: 'rejected' },
  revoke: { from: ['active'], to: 'revoked' },
  // The expiry sweep's, never a route's.
  expire: { from: ['active'], to: 'expired' },
} as const satisfies Record<string, { from: readonly CredentialStatus[]; to: CredentialStatus }>;

export type CredentialTransition = keyof typeof CREDENTIAL_TRANSITIONS;

export const canTransition = (transition: CredentialTransition, from: CredentialStatus): boolean =>
  (CREDENTIAL_TRANSITIONS[transition].from as readonly CredentialStatus[]).includes(from);

/**
 * Statuses whose credentials sit in the expiry-day index (gsi2): the ones an expiry can still
 * change. A credential leaves it once expired, revoked or rejected, so past buckets stay small.
 */
export const EXPIRY_TRACKED_STATUSES: readonly CredentialStatus[] = ['pending', 'active'];

export const isExpiryTracked = (status: CredentialStatus): boolean =>
  EXPIRY_TRACKED_STATUSES.includes(status);
