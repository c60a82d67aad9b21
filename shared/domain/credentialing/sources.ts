/**
 * The one interface every primary source is checked through (NPPES, the OIG LEIE, SAM when
 * configured): given the staff member, it answers what it found and the raw answer it found it
 * in, which the check service keeps as evidence. A source that cannot be reached throws
 * DependencyUnavailable; the service records that as an `error` check.
 */
import type { StoredCredential } from '../credentials/ports.ts';
import type { VerificationMethod, VerificationResult, VerificationSource } from '../schemas/credentialing.ts';
import type { StoredStaffProfile } from '../staff/ports.ts';

/** A field where the source and the file disagree (values are PHI: names, numbers). */
export interface Difference {
  field: string;
  profileValue: string | null;
  sourceValue: string | null;
}

export interface SourceAnswer {
  result: Exclude<VerificationResult, 'error'>;
  /** Which answer: the API and version, the file month and row. No PHI. */
  sourceRef: string;
  differences?: Difference[];
  /** The source's answer as received (a response body, a file row), kept as evidence. */
  snapshot: string;
}

/** What a check is about: the profile and its active credentials. */
export interface CheckSubject {
  profile: StoredStaffProfile;
  activeCredentials: readonly StoredCredential[];
}

export interface PrimarySource {
  source: VerificationSource;
  method: VerificationMethod;
  /** Refuses (RuleViolation) a subject it cannot check, e.g. a profile without an NPI. */
  check(subject: CheckSubject): Promise<SourceAnswer>;
}
