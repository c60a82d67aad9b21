/** What the credentialing services need from storage and from the evidence store. */
import type { LastActor } from '../context.ts';
import type { Page, PageRequest } from '../page.ts';
import type { Evidence, Verification } from '../schemas/credentialing.ts';

/**
 * A verification record as stored: the API shape, the staff id and owner's sub at the top level
 * (its list key and the policy's owner) and who wrote it. Never updated once written.
 */
export type StoredVerification = Verification & {
  staffId: string;
  ownerUserId: string;
  lastActor: LastActor;
};

export interface VerificationRepository {
  /** Conditional create: a record is written once and never changed. */
  create(record: StoredVerification): Promise<void>;
  get(verificationId: string): Promise<StoredVerification | undefined>;
  /** A staff member's records, newest first. */
  listOfStaff(staffId: string, page: PageRequest): Promise<Page<StoredVerification>>;
}

/** Keeps a source's answer (a response body, a file row) as evidence, content-addressed. */
export interface EvidenceStore {
  keep(kind: string, content: string): Promise<Evidence>;
}
