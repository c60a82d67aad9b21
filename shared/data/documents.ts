/**
 * The document store on S3: presigned PUTs and GETs, HeadObject to see an upload landed, and the
 * fingerprint (version, SHA-256) a verification records.
 * The client is created once per container, with the first document call.
 */
import { createHash } from 'node:crypto';
import type { DocumentStore } from '#domain/credentials/ports.ts';
import { DependencyUnavailable } from '#domain/errors.ts';
import { requireEnv } from '#runtime/config.ts';
import { onFirstUse } from './on-first-use.ts';

/** Seconds an upload URL stays valid. */
export const UPLOAD_URL_SECONDS = 300;
/** Seconds a download URL stays valid: long enough to start the download, no longer. */
export const DOWNLOAD_URL_SECONDS = 60;

const s3 = onFirstUse(async () => {
  const [sdk, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]);
  const client = new sdk.S3Client({
    // With AWS_ENDPOINT_URL_S3 set (the twin's verifying front, or another S3-compatible
    // endpoint), buckets are addressed by path: a virtual host `<bucket>.127.0.0.1` does not resolve.
    forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
    // The SDK's default adds the CRC32 of an empty body to presigned PUTs, and S3 then rejects
    // the real upload (BadDigest): checksums only where an operation requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return { ...sdk, client, getSignedUrl };
});

const bucket = () => requireEnv('documentsBucket');

// Missing keys answer 404, or 403 without s3:ListBucket (which the functions do not get): both
// mean "not there" to a caller.
const ABSENT = new Set([403, 404]);

export const s3DocumentStore: DocumentStore = {
  presignUpload: async (objectKey, contentType, size) => {
    const { client, getSignedUrl, PutObjectCommand } = await s3();
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({
        Bucket: bucket(),
        Key: objectKey,
        ContentType: contentType,
        ContentLength: size,
        // S3 conditional write: the URL creates its object once and never overwrites it (the
        // bucket policy refuses a PutObject without it).
        IfNoneMatch: '*',
      }),
      // Content length is signed whenever it is set; content type and If-None-Match only when asked.
      { expiresIn: UPLOAD_URL_SECONDS, signableHeaders: new Set(['content-type', 'if-none-match']) },
    );
    return {
      url,
      headers: { 'Content-Type': contentType, 'Content-Length': String(size), 'If-None-Match': '*' },
      expiresIn: UPLOAD_URL_SECONDS,
    };
  },

  exists: async (objectKey) => {
    const { client, HeadObjectCommand, S3ServiceException } = await s3();
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket(), Key: objectKey }));
      return true;
    } catch (error) {
      if (error instanceof S3ServiceException && ABSENT.has(error.$metadata.httpStatusCode ?? 0))
        return false;
      throw new DependencyUnavailable('document store unavailable', { cause: error });
    }
  },

  head: async (objectKey, bytes) => {
    const { client, GetObjectCommand } = await s3();
    try {
      const object = await client.send(
        new GetObjectCommand({ Bucket: bucket(), Key: objectKey, Range: `bytes=0-${bytes - 1}` }),
      );
      return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      throw new DependencyUnavailable('document store unavailable', { cause: error });
    }
  },

  remove: async (objectKey, versionId) => {
    const { client, DeleteObjectCommand } = await s3();
    await client.send(
      new DeleteObjectCommand({
        Bucket: bucket(),
        Key: objectKey,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
  },

  fingerprint: async (objectKey) => {
    const { client, GetObjectCommand, S3ServiceException } = await s3();
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket(), Key: objectKey }));
      const hash = createHash('sha256');
      // At most 10 MB (the upload limit), streamed through the hash.
      for await (const chunk of object.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
      return { sha256: hash.digest('hex'), ...(object.VersionId ? { versionId: object.VersionId } : {}) };
    } catch (error) {
      if (error instanceof S3ServiceException && ABSENT.has(error.$metadata.httpStatusCode ?? 0))
        return undefined;
      throw new DependencyUnavailable('document store unavailable', { cause: error });
    }
  },

  presignDownload: async (objectKey, fileName, versionId) => {
    const { client, getSignedUrl, GetObjectCommand } = await s3();
    const url = await getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: bucket(),
        Key: objectKey,
        ...(versionId ? { VersionId: versionId } : {}),
        ResponseContentDisposition: `attachment; filename="${fileName}"`,
      }),
      { expiresIn: DOWNLOAD_URL_SECONDS },
    );
    return { url, expiresIn: DOWNLOAD_URL_SECONDS };
  },
};
