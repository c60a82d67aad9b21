/**
 * The evidence bucket on S3 (Object Lock, compliance mode): ledger digests and archived days are
 * created once (`If-None-Match: *`) and read back by the version their successor recorded.
 */
import type { ListObjectsV2CommandOutput, S3ServiceException } from '@aws-sdk/client-s3';
import type { EvidenceStore } from '#domain/audit/ports.ts';
import { requireEnv } from '#runtime/config.ts';
import { onFirstUse } from './on-first-use.ts';

let serviceException: typeof S3ServiceException | undefined;
const s3 = onFirstUse(async () => {
  const sdk = await import('@aws-sdk/client-s3');
  serviceException = sdk.S3ServiceException;
  const client = new sdk.S3Client({
    // The twin's S3 front (AWS_ENDPOINT_URL_S3) is addressed by path, as for the documents bucket.
    forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
    // PutObject on an Object Lock bucket needs an integrity checksum: the SDK's default CRC32.
    requestChecksumCalculation: 'WHEN_SUPPORTED',
  });
  return { ...sdk, client };
});

const bucket = () => requireEnv('evidenceBucket');

// 412: the key is taken (conditional write); 409: a concurrent write of the same key.
const TAKEN = new Set([409, 412]);
const ABSENT = new Set([403, 404]);

// An S3 exception can only come after the SDK loaded.
const statusOf = (error: unknown) =>
  serviceException !== undefined && error instanceof serviceException
    ? (error.$metadata.httpStatusCode ?? 0)
    : 0;

export const s3EvidenceStore: EvidenceStore = {
  create: async (key, body, contentType) => {
    const { client, PutObjectCommand } = await s3();
    try {
      const written = await client.send(
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
    const { client, GetObjectCommand } = await s3();
    try {
      const object = await client.send(
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
    const { client, ListObjectsV2Command } = await s3();
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await client.send(
        new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  },
};
