/**
 * Message attachments in the documents bucket, through presigned URLs: the bytes never pass
 * through a function. The PUT signs content type and length, so the upload is exactly what was
 * declared; the GET answers as a download (Content-Disposition: attachment).
 */
import { createHash } from 'node:crypto';
import type { AttachmentStore } from '#domain/messaging/ports.ts';
import { requireEnv } from '#runtime/config.ts';
import { onFirstUse } from './on-first-use.ts';

// Loaded with the first attachment call: most messages carry none.
const s3 = onFirstUse(async () => {
  const [sdk, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]);
  // Checksums only when required: a presigned PUT must not bind a checksum of bytes not yet chosen.
  const client = new sdk.S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
  return { ...sdk, client, getSignedUrl };
});

const UPLOAD_EXPIRES_SECONDS = 5 * 60;
const DOWNLOAD_EXPIRES_SECONDS = 5 * 60;

/** RFC 6266: an ASCII fallback and the UTF-8 name. */
const contentDisposition = (fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7E]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
};

const isMissing = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'NotFound' ||
    error.name === 'NoSuchKey' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

export const s3AttachmentStore: AttachmentStore = {
  presignUpload: async (objectKey, contentType, size) => {
    const { client, getSignedUrl, PutObjectCommand } = await s3();
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({
        Bucket: requireEnv('documentsBucket'),
        Key: objectKey,
        ContentType: contentType,
        ContentLength: size,
        // Created once, never overwritten: bytes sent with a message cannot change afterwards.
        IfNoneMatch: '*',
      }),
      // The presigner leaves content-type and If-None-Match unsigned unless asked.
      { expiresIn: UPLOAD_EXPIRES_SECONDS, signableHeaders: new Set(['content-type', 'if-none-match']) },
    );
    return {
      url,
      headers: { 'content-type': contentType, 'if-none-match': '*' },
      expiresIn: UPLOAD_EXPIRES_SECONDS,
    };
  },

  presignDownload: async (objectKey, fileName, contentType) => {
    const { client, getSignedUrl, GetObjectCommand } = await s3();
    const url = await getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: requireEnv('documentsBucket'),
        Key: objectKey,
        ResponseContentDisposition: contentDisposition(fileName),
        ResponseContentType: contentType,
      }),
      { expiresIn: DOWNLOAD_EXPIRES_SECONDS },
    );
    return { url, expiresIn: DOWNLOAD_EXPIRES_SECONDS };
  },

  fingerprint: async (objectKey, headBytes) => {
    const { client, GetObjectCommand } = await s3();
    try {
      const object = await client.send(
        new GetObjectCommand({ Bucket: requireEnv('documentsBucket'), Key: objectKey }),
      );
      const hash = createHash('sha256');
      const head: Uint8Array[] = [];
      let kept = 0;
      // At most 10 MB per attachment, streamed through the hash; the first bytes kept for the type check.
      for await (const chunk of object.Body as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        if (kept < headBytes) head.push(chunk.subarray(0, headBytes - kept));
        kept += chunk.length;
      }
      return { sha256: hash.digest('hex'), head: Buffer.concat(head).subarray(0, headBytes) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },

  exists: async (objectKey) => {
    const { client, HeadObjectCommand } = await s3();
    try {
      await client.send(new HeadObjectCommand({ Bucket: requireEnv('documentsBucket'), Key: objectKey }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  },
};
