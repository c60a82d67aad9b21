/**
 * "Object Created" events of message attachments (`conversations/<id>/attachments/<attachmentId>`),
 * sent by S3 to EventBridge: each attachment is inspected once it lands
 * (shared/domain/messaging/attachment-inspection.ts). The twin's object store sends the same
 * event to this same handler.
 */
import { attachmentVerdicts } from '#data/attachment-verdicts.ts';
import { s3DocumentStore } from '#data/documents.ts';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import { createAttachmentInspection } from '#domain/messaging/attachment-inspection.ts';
import { logger } from '#runtime/logger.ts';
import type { ObjectCreatedEvent } from '#runtime/s3-events.ts';

const inspection = createAttachmentInspection({ attachments: attachmentVerdicts, store: s3DocumentStore });

export const handler = async (event: ObjectCreatedEvent): Promise<void> => {
  const { object } = event.detail;
  const [prefix, conversationId, segment, attachmentId] = object.key.split('/');
  if (prefix !== 'conversations' || segment !== 'attachments' || !conversationId || !attachmentId) return;
  const versionId = object['version-id'];
  const outcome = await inspection.inspect(
    {
      actor: SYSTEM_ACTOR,
      now: new Date(event.time),
      requestId: `s3:${event.detail['request-id'] ?? event.id}`,
    },
    { conversationId, attachmentId, objectKey: object.key, ...(versionId ? { versionId } : {}) },
  );
  logger.info('attachment upload inspected', { conversationId, attachmentId, outcome });
};
