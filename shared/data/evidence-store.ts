/**
 * The evidence bucket on S3 (Object Lock, compliance mode): ledger digests and archived days are
 * created once (`If-None-Match: *`) and read back by the version their successor recorded.
 */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { EvidenceStore } from '#domain/audit/ports.ts';
import { requireEnv } from '#runtime/config.ts';

const s3 = new S3Client({
  // The twin's S3 front (AWS_ENDPOINT_URL_S3) is addressed by path, as for the documents bucket.
  forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
  // PutObject on an Object Lock bucket needs an integrity checksum: the SDK's default CRC32.
  requestChecksumCalculation: 'WHEN_SUPPORTED',
});

const bucket = () => requireEnv('evidenceBucket');

// 412: the key is taken (conditional write); 409: a concurrent write of the same key.
const TAKEN = new Set([409, 412]);
const ABSENT = new Set([403, 404]);

const statusOf = (error: unknown) =>
  error instanceof S3ServiceException ? (error.$metadata.httpStatusCode ?? 0) : 0;

export const s3EvidenceStore: EvidenceStore = {
  create: async (key, body, contentType) => {
    try {
      const written = await s3.send(
        new PutObjectCommand({
          Bucket: bucket(),
          Key: key,
          Body: body,
          ContentType: contentType,
          IfNoneMatch: '*',
        }),
      );
      return written.VersionId ? { versionId: written.VersionId } : {};
    } catch (error) {
      if (TAKEN.has(statusOf(error))) return 'exists';
      throw error;
    }
  },

  read: async (key, versionId) => {
    try {
      const object = await s3.send(
        new GetObjectCommand({ Bucket: bucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
      );
      const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
      return { bytes, ...(object.VersionId ? { versionId: object.VersionId } : {}) };
    } catch (error) {
      if (ABSENT.has(statusOf(error))) return undefined;
      throw error;
    }
  },

  list: async (prefix) => {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  },
};
