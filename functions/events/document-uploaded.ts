/**
 * "Object Created" events of credential documents (`credentials/<credentialId>/<uploadId>`), sent
 * by S3 to EventBridge: each upload is inspected once it lands
 * (shared/domain/credentials/upload-inspection.ts). The twin's object store sends the same event
 * to this same handler.
 */
import { credentialRepository } from '#data/credentials.ts';
import { s3DocumentStore } from '#data/documents.ts';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import { createUploadInspection } from '#domain/credentials/upload-inspection.ts';
import { logger } from '#runtime/logger.ts';
import type { ObjectCreatedEvent } from '#runtime/s3-events.ts';

const inspection = createUploadInspection({ credentials: credentialRepository, store: s3DocumentStore });

export const handler = async (event: ObjectCreatedEvent): Promise<void> => {
  const { object } = event.detail;
  const [prefix, credentialId, uploadId] = object.key.split('/');
  if (prefix !== 'credentials' || !credentialId || !uploadId) return;
  const versionId = object['version-id'];
  const outcome = await inspection.inspect(
    {
      actor: SYSTEM_ACTOR,
      now: new Date(event.time),
      requestId: `s3:${event.detail['request-id'] ?? event.id}`,
    },
    { credentialId, objectKey: object.key, ...(versionId ? { versionId } : {}) },
  );
  logger.info('document upload inspected', { credentialId, outcome });
};
