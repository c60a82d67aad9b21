/**
 * Credential documents through presigned S3 URLs: an upload records the document as pending and
 * answers a PUT bound to its content type and length that can create its (new, never reused)
 * object once and never overwrite it. Only a pending credential takes a document: what was
 * verified, rejected or revoked stays the evidence it was decided on. A download checks the object is there,
 * marks it uploaded the first time, records an audited access event and answers a short-lived GET
 * served as an attachment.
 */
import { ulid } from 'ulid';
import { type AccessEventRepository, accessEvent } from '../access-events.ts';
import type { ServiceContext } from '../context.ts';
import { Conflict, NotFound, RuleViolation } from '../errors.ts';
import { nameMismatch } from '../file-types.ts';
import { changeStampOf, visible } from '../lifecycle.ts';
import type { DocumentUploadInput } from '../schemas/credentials.ts';
import type { CredentialRepository, DocumentStore } from './ports.ts';
import { CREDENTIAL_LIFECYCLE } from './state-machine.ts';

export interface CredentialDocumentDeps {
  credentials: CredentialRepository;
  store: DocumentStore;
  accessEvents: AccessEventRepository;
  /** The object key of a new upload (ids only: no file name, which is PHI). */
  objectKeyFor: (credentialId: string, uploadId: string) => string;
  newId?: () => string;
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/** 409 for an upload to a decided credential, naming the way forward. */
export const documentFrozen = (status: string) =>
  new Conflict(
    `A ${status} credential's document is the evidence it was decided on and cannot change: a renewed ` +
      'or corrected credential is a new credential (POST /staff/{staffId}/credentials) that goes through ' +
      'verification with its own document',
    status,
  );

export const createCredentialDocuments = ({
  credentials,
  store,
  accessEvents,
  objectKeyFor,
  newId = ulid,
}: CredentialDocumentDeps) => {
  return {
    requestUpload: async (context: ServiceContext, credentialId: string, input: DocumentUploadInput) => {
      const credential = await visible(
        CREDENTIAL_LIFECYCLE,
        context,
        'uploadDocument',
        credentials.get(credentialId),
      );
      if (credential.status !== 'pending') throw documentFrozen(credential.status);
      const mismatch = nameMismatch(input.name, input.contentType);
      if (mismatch !== undefined)
        throw new RuleViolation(`The name does not fit the type: ${mismatch}`, { name: mismatch });
      const objectKey = objectKeyFor(credentialId, newId());
      const upload = await store.presignUpload(objectKey, input.contentType, input.size);
      await credentials.attachDocument(
        credentialId,
        { ...input, status: 'pending' },
        objectKey,
        changeStampOf(context, 'document.upload'),
      );
      return { uploadUrl: upload.url, uploadHeaders: upload.headers, expiresIn: upload.expiresIn };
    },

    download: async (context: ServiceContext, credentialId: string) => {
      const credential = await visible(
        CREDENTIAL_LIFECYCLE,
        context,
        'downloadDocument',
        credentials.get(credentialId),
      );
      const { document, documentKey } = credential;
      if (!document || !documentKey) throw new NotFound('This credential has no document');
      // A verified credential serves the version its verification recorded, whatever came later.
      const verified = credential.verification?.document;
      if (!verified && document.status === 'rejected') {
        throw new Conflict(
          `The document was rejected (${document.reason ?? 'no reason'}): upload another`,
          'rejected',
        );
      }
      if (!verified && !(await store.exists(documentKey))) {
        throw new Conflict('The document has not been uploaded yet', 'pending');
      }
      if (!verified && document.status === 'pending') {
        // A lost race (another download marked it, or a new upload replaced it) changes nothing here.
        await credentials.markDocumentUploaded(
          credentialId,
          documentKey,
          changeStampOf(context, 'document.uploaded'),
        );
      }
      await accessEvents.record(
        accessEvent(context, {
          id: newId(),
          entityType: 'Credential',
          entityId: credentialId,
          action: 'read.document',
          summary: `document of credential ${credentialId} downloaded`,
        }),
      );
      // A generic file name: S3 access logs record the URL, and the uploaded name is PHI.
      const fileName = `credential-${credentialId}.${EXTENSIONS[document.contentType] ?? 'bin'}`;
      const served = verified ? { ...verified, verified: true } : { key: documentKey, verified: false };
      const download = await store.presignDownload(served.key, fileName, verified?.versionId);
      return { downloadUrl: download.url, expiresIn: download.expiresIn, served };
    },
  };
};

export type CredentialDocuments = ReturnType<typeof createCredentialDocuments>;
