/** What the credential services need from storage and from the document store. */
import type { LastActor } from '../context.ts';
import type { ChangeStamp, Transition } from '../lifecycle.ts';
import type { Page, PageRequest } from '../page.ts';
import type { Credential } from '../schemas/credentials.ts';
import type { ExpiryThreshold } from './expiry.ts';
import type { CredentialStatus } from './state-machine.ts';

/**
 * A credential as stored: the API shape, the owner's Cognito sub (the policy and the notify
 * consumer use it), the document's object key and who last changed it.
 */
export type StoredCredential = Credential & {
  ownerUserId: string;
  documentKey?: string;
  lastActor: LastActor;
};

/** What every write stamps besides its own change. */
export type WriteMeta = ChangeStamp;

export interface CredentialRepository {
  create(credential: StoredCredential): Promise<void>;
  get(credentialId: string): Promise<StoredCredential | undefined>;
  listOfStaff(
    staffId: string,
    status: CredentialStatus | undefined,
    page: PageRequest,
  ): Promise<Page<StoredCredential>>;
  listByStatus(status: CredentialStatus, page: PageRequest): Promise<Page<StoredCredential>>;
  /** One expiry-day bucket (pending and active credentials), optionally of one status. */
  listExpiringOn(
    day: string,
    status: CredentialStatus | undefined,
    page: PageRequest,
  ): Promise<Page<StoredCredential>>;
  /**
   * Moves the credential to `rule.to` if it is still in one of `rule.from` (and, with
   * `expiredBefore`, past expiry then): the updated credential. StaleWrite with the credential's
   * current status when it is not, and with none when it is gone.
   */
  transition(
    credential: Pick<StoredCredential, 'id' | 'staffId' | 'expiryDate'>,
    rule: Transition<CredentialStatus>,
    change: { set?: Record<string, unknown>; meta: WriteMeta; expiredBefore?: string },
  ): Promise<StoredCredential>;
  /** Raises `expiryWarning` to `threshold` if the credential is active and not warned this tightly yet. */
  raiseExpiryWarning(credentialId: string, threshold: ExpiryThreshold, meta: WriteMeta): Promise<boolean>;
  /** Records a requested upload (replacing any earlier document). */
  attachDocument(
    credentialId: string,
    document: NonNullable<Credential['document']>,
    documentKey: string,
    meta: WriteMeta,
  ): Promise<StoredCredential>;
  /** Marks the document uploaded if it is still that pending upload; false when it is not. */
  markDocumentUploaded(credentialId: string, documentKey: string, meta: WriteMeta): Promise<boolean>;
  /** Marks the document rejected (with why) if it is still that pending upload; false when it is not. */
  markDocumentRejected(
    credentialId: string,
    documentKey: string,
    reason: string,
    meta: WriteMeta,
  ): Promise<boolean>;
}

export interface PresignedUpload {
  url: string;
  headers: Record<string, string>;
  expiresIn: number;
}

export interface DocumentStore {
  /** A presigned PUT binding the content type and length. */
  presignUpload(objectKey: string, contentType: string, size: number): Promise<PresignedUpload>;
  /** Whether the object is there (a missing one and one we may not see look alike). */
  exists(objectKey: string): Promise<boolean>;
  /** A short-lived presigned GET (of `versionId` when given) served as an attachment named `fileName`. */
  presignDownload(
    objectKey: string,
    fileName: string,
    versionId?: string,
  ): Promise<{ url: string; expiresIn: number }>;
  /** The object's first `bytes` bytes (fewer when it is shorter). */
  head(objectKey: string, bytes: number): Promise<Uint8Array>;
  /** Deletes the object (that version, where the bucket keeps versions). */
  remove(objectKey: string, versionId?: string): Promise<void>;
  /** The object's current version and the SHA-256 of its bytes; undefined when it is not there. */
  fingerprint(objectKey: string): Promise<{ versionId?: string; sha256: string } | undefined>;
}
