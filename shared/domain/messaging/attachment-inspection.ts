/**
 * What happens when an attachment's bytes land (the S3 "Object Created" event, and the twin's
 * object store emitting the same), as for credential documents: the first bytes must carry the
 * declared type's signature and the name must fit the type, or the attachment is marked
 * rejected (with the reason, on its conversation's chain) and its object deleted. A sent
 * message has already checked and hashed its attachments' bytes, so an attachment that is gone
 * or already judged is left alone.
 */
import type { ServiceContext } from '../context.ts';
import { contentMismatch, HEAD_BYTES } from '../file-types.ts';
import { type ChangeStamp, changeStampOf } from '../lifecycle.ts';
import type { AttachmentRecord } from './ports.ts';

export type AttachmentInspectionOutcome = 'accepted' | 'rejected' | 'ignored';

export interface AttachmentInspectionDeps {
  attachments: {
    get(conversationId: string, attachmentId: string): Promise<AttachmentRecord | undefined>;
    /** Conditional on the object key and on no verdict yet; false when that no longer holds. */
    markRejected(attachment: AttachmentRecord, reason: string, stamp: ChangeStamp): Promise<boolean>;
  };
  store: {
    head(objectKey: string, bytes: number): Promise<Uint8Array>;
    remove(objectKey: string, versionId?: string): Promise<void>;
  };
}

export const createAttachmentInspection = ({ attachments, store }: AttachmentInspectionDeps) => ({
  inspect: async (
    context: ServiceContext,
    upload: { conversationId: string; attachmentId: string; objectKey: string; versionId?: string },
  ): Promise<AttachmentInspectionOutcome> => {
    const attachment = await attachments.get(upload.conversationId, upload.attachmentId);
    if (!attachment || attachment.objectKey !== upload.objectKey || attachment.status !== undefined) {
      return 'ignored';
    }
    const reason = contentMismatch(
      await store.head(upload.objectKey, HEAD_BYTES),
      attachment.name,
      attachment.contentType,
    );
    if (reason === undefined) return 'accepted';
    // Marked first: a retry after a failed delete finds it rejected and deletes nothing twice.
    if (
      !(await attachments.markRejected(attachment, reason, changeStampOf(context, 'attachment.rejected')))
    ) {
      return 'ignored';
    }
    await store.remove(upload.objectKey, upload.versionId);
    return 'rejected';
  },
});
