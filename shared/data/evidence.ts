/**
 * Evidence in the documents bucket: each source answer stored under its SHA-256
 * (`evidence/<source>/<sha256>.json`), so the same answer is one object and a record's hash
 * proves the object unchanged. Keys carry no PHI (S3 logs keys).
 */
import { createHash } from 'node:crypto';
import type { EvidenceStore } from '#domain/credentialing/ports.ts';
import { DependencyUnavailable } from '#domain/errors.ts';
import { requireEnv } from '#runtime/config.ts';
import { evidenceObjectKey } from './entities/credentialing.ts';
import { onFirstUse } from './on-first-use.ts';

const s3 = onFirstUse(async () => {
  const sdk = await import('@aws-sdk/client-s3');
  const client = new sdk.S3Client({
    forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return { client, PutObjectCommand: sdk.PutObjectCommand };
});

/** S3's answer to a conditional create of a key that exists (or is being written). */
const alreadyKept = (error: unknown) => {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 412 || status === 409;
};

export const s3EvidenceStore: EvidenceStore = {
  keep: async (kind, content) => {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const snapshotKey = evidenceObjectKey(kind, sha256);
    const { client, PutObjectCommand } = await s3();
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: requireEnv('documentsBucket'),
          Key: snapshotKey,
          Body: content,
          ContentType: 'application/json',
          // The bucket policy requires conditional creates; content-addressed, so a 412 means
          // these very bytes are already kept.
          IfNoneMatch: '*',
        }),
      );
    } catch (error) {
      if (alreadyKept(error)) return { sha256, snapshotKey };
      throw new DependencyUnavailable('evidence store unavailable', { cause: error });
    }
    return { sha256, snapshotKey };
  },
};
