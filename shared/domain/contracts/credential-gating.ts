/**
 * Credential gating: a contract's required credential types must each be held as an active
 * credential through the contract's end date (no expiry, or an expiry on or after it) before
 * the staff member may acknowledge it or it may be activated.
 */
import { RuleViolation } from '../errors.ts';

export interface HeldCredential {
  /** Upper-case code such as RN or BLS. */
  type: string;
  status: string;
  /** YYYY-MM-DD; absent when the credential does not expire. */
  expiryDate?: string;
}

export interface CredentialGap {
  /** Types with no active credential at all. */
  missing: string[];
  /** Types held active, but every such credential expires before the contract ends. */
  expiring: Array<{ type: string; expiryDate: string }>;
}

const coversUntil = (credential: HeldCredential, endDate: string) =>
  credential.expiryDate === undefined || credential.expiryDate >= endDate;

export const credentialGapOf = (
  required: readonly string[],
  held: readonly HeldCredential[],
  endDate: string,
): CredentialGap => {
  const gap: CredentialGap = { missing: [], expiring: [] };
  for (const type of required) {
    const active = held.filter(
      (credential) => credential.type.toUpperCase() === type && credential.status === 'active',
    );
    if (active.length === 0) gap.missing.push(type);
    else if (!active.some((credential) => coversUntil(credential, endDate))) {
      const latest =
        active
          .map((credential) => credential.expiryDate ?? '')
          .sort()
          .at(-1) ?? '';
      gap.expiring.push({ type, expiryDate: latest });
    }
  }
  return gap;
};

/** RuleViolation (422) listing what is missing or expiring; types only, never numbers (PHI). */
export const assertCredentialsHeld = (
  required: readonly string[],
  held: readonly HeldCredential[],
  endDate: string,
): void => {
  const gap = credentialGapOf(required, held, endDate);
  if (gap.missing.length === 0 && gap.expiring.length === 0) return;
  const names = [...gap.missing, ...gap.expiring.map((entry) => entry.type)].join(', ');
  throw new RuleViolation(`Required credentials are not held as active through ${endDate}: ${names}`, {
    missingCredentialTypes: gap.missing,
    expiringCredentials: gap.expiring,
  });
};
