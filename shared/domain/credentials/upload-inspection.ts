/**
 * What happens when a document upload completes (an S3 ObjectCreated notification, and the twin's
 * object store emitting the same): the first bytes must carry the declared type's signature and
 * the name must fit the type, or the document is rejected (with the reason) and its object
 * deleted; otherwise it is marked uploaded. Only the credential's current pending upload is
 * inspected: an object of an upload since replaced, or already judged, is left alone.
 */
import type { ServiceContext } from '../context.ts';
import { contentMismatch, HEAD_BYTES } from '../file-types.ts';
import { changeStampOf } from '../lifecycle.ts';
import type { CredentialRepository, DocumentStore } from './ports.ts';

export type InspectionOutcome = 'uploaded' | 'rejected' | 'ignored';

export interface UploadInspectionDeps {
  credentials: Pick<CredentialRepository, 'get' | 'markDocumentUploaded' | 'markDocumentRejected'>;
  store: Pick<DocumentStore, 'head' | 'remove'>;
}

export const createUploadInspection = ({ credentials, store }: UploadInspectionDeps) => ({
  inspect: async (
    context: ServiceContext,
    upload: { credentialId: string; objectKey: string; versionId?: string },
  ): Promise<InspectionOutcome> => {
    const { credentialId, objectKey } = upload;
    const credential = await credentials.get(credentialId);
    const document = credential?.document;
    if (!document || credential?.documentKey !== objectKey || document.status !== 'pending') return 'ignored';
    const reason = contentMismatch(
      await store.head(objectKey, HEAD_BYTES),
      document.name,
      document.contentType,
    );
    if (reason === undefined) {
      await credentials.markDocumentUploaded(
        credentialId,
        objectKey,
        changeStampOf(context, 'document.uploaded'),
      );
      return 'uploaded';
    }
    // Marked first: a retry after a failed delete finds it rejected and deletes nothing twice.
    await credentials.markDocumentRejected(
      credentialId,
      objectKey,
      reason,
      changeStampOf(context, 'document.rejected'),
    );
    await store.remove(objectKey, upload.versionId);
    return 'rejected';
  },
});
