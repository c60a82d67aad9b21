/** The attachment item as its landing inspection reads and judges it (Main, `CONV#<id>` / `ATT#<id>`). */
import type { AttachmentInspectionDeps } from '#domain/messaging/attachment-inspection.ts';
import { is } from './conditions.ts';
import { attachmentEntity } from './entities/messaging.ts';
import { applied } from './entity-writes.ts';

export const attachmentVerdicts: AttachmentInspectionDeps['attachments'] = {
  // Consistent: the event may follow the item's creation by milliseconds.
  get: (conversationId, attachmentId) =>
    attachmentEntity.get({ conversationId, id: attachmentId }, { consistent: true }),

  markRejected: (attachment, reason, stamp) =>
    applied(
      attachmentEntity.update(
        { conversationId: attachment.conversationId, id: attachment.id },
        { set: { status: 'rejected', rejectedReason: reason, ...stamp }, increment: ['version'] },
        [is.equal('objectKey', attachment.objectKey), is.absent('status')],
      ),
    ),
};
