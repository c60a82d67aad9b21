import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningObjectStore, startObjectStore } from '../../local/object-store.ts';

const require = createRequire(import.meta.url);
const credentials = { accessKeyId: 'test-key', secretAccessKey: 'test-secret' };
const region = 'us-east-1';
const bucket = 'documents-test';
// A real binary file, so a byte-level round trip means something.
const file = readFileSync(require.resolve('swagger-ui-dist/favicon-32x32.png'));

let store: RunningObjectStore;
let s3: S3Client;
/** Presigning as the documents service must: checksums only when required (see presignedPut). */
let presigner: S3Client;

const client = (overrides: Partial<ConstructorParameters<typeof S3Client>[0]> = {}) =>
  new S3Client({ region, endpoint: store.url, forcePathStyle: true, credentials, ...overrides });

const presignedPut = (key: string, options: { expiresIn?: number; signingDate?: Date } = {}) =>
  getSignedUrl(
    presigner,
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      ContentType: 'image/png',
      ContentLength: file.length,
      IfNoneMatch: '*',
    }),
    // The presigner leaves content-type and If-None-Match unsigned unless asked.
    {
      expiresIn: options.expiresIn ?? 300,
      signingDate: options.signingDate,
      signableHeaders: new Set(['content-type', 'if-none-match']),
    },
  );

const put = (url: string, body: Buffer, contentType = 'image/png') =>
  fetch(url, { method: 'PUT', body, headers: { 'content-type': contentType, 'if-none-match': '*' } });

const errorCode = async (response: Response) => /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];

beforeAll(async () => {
  store = await startObjectStore({ port: 0, bucket, region, ...credentials });
  s3 = client();
  presigner = client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
});

afterAll(async () => {
  s3?.destroy();
  presigner?.destroy();
  await store?.stop();
});

describe('object store front', () => {
  it('accepts a presigned PUT with signed type and length, and a presigned GET returns the same bytes', async () => {
    const url = await presignedPut('docs/favicon a+b.png');
    expect(url).toContain('X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost');
    const upload = await put(url, file);
    expect(upload.status).toBe(200);

    const download = await getSignedUrl(
      presigner,
      new GetObjectCommand({
        Bucket: bucket,
        Key: 'docs/favicon a+b.png',
        ResponseContentDisposition: 'attachment; filename="favicon.png"',
      }),
      { expiresIn: 300 },
    );
    const response = await fetch(download);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="favicon.png"');
    expect(Buffer.from(await response.arrayBuffer()).equals(file)).toBe(true);
  });

  it('rejects a tampered signature', async () => {
    const url = await presignedPut('docs/tampered.png');
    const tampered = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    const response = await put(tampered, file);
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('SignatureDoesNotMatch');
  });

  it('rejects a PUT whose content type differs from the signed one', async () => {
    const response = await put(await presignedPut('docs/wrong-type.png'), file, 'text/html');
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('SignatureDoesNotMatch');
  });

  it('rejects a PUT whose length differs from the signed one', async () => {
    const response = await put(
      await presignedPut('docs/wrong-length.png'),
      Buffer.concat([file, Buffer.from('x')]),
    );
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('SignatureDoesNotMatch');
  });

  it('rejects an expired URL', async () => {
    const url = await presignedPut('docs/expired.png', {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 120_000),
    });
    const response = await put(url, file);
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('AccessDenied');
  });

  it('rejects an unsigned request and answers a CORS preflight', async () => {
    const anonymous = await fetch(`${store.url}/${bucket}/docs/favicon%20a%2Bb.png`);
    expect(anonymous.status).toBe(403);
    const preflight = await fetch(`${store.url}/${bucket}/docs/x.png`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
  });

  it('rejects a presigned PUT that carries the checksum of an empty body (the SDK default)', async () => {
    // With requestChecksumCalculation WHEN_SUPPORTED the presigner hoists the CRC32 of an
    // empty body into the URL; S3 rejects the upload, and so does the twin.
    const url = await getSignedUrl(
      s3,
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'docs/crc.png',
        ContentType: 'image/png',
        ContentLength: file.length,
      }),
      { expiresIn: 300, signableHeaders: new Set(['content-type']) },
    );
    expect(url).toContain('x-amz-checksum-crc32=');
    const response = await put(url, file);
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('BadDigest');
  });

  it('serves header-signed SDK requests and refuses a wrong secret', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'sdk/a.txt',
        Body: 'hello',
        ContentType: 'text/plain',
        IfNoneMatch: '*',
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'sdk/a.txt' }));
    expect(head.ContentLength).toBe(5);
    expect(head.ContentType).toBe('text/plain');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'sdk/a.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');

    // A stream body goes out aws-chunked with a trailing CRC32; the store keeps only the payload.
    const body = Readable.from([file.subarray(0, 100), file.subarray(100)]);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'sdk/stream.png',
        Body: body,
        ContentLength: file.length,
        IfNoneMatch: '*',
      }),
    );
    const streamed = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'sdk/stream.png' }));
    expect(Buffer.from((await streamed.Body?.transformToByteArray()) ?? []).equals(file)).toBe(true);

    const intruder = client({ credentials: { ...credentials, secretAccessKey: 'wrong' } });
    const error = await intruder
      .send(new HeadObjectCommand({ Bucket: bucket, Key: 'sdk/a.txt' }))
      .catch((e) => e);
    intruder.destroy();
    expect(error).toBeInstanceOf(S3ServiceException);
    expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(403);
  });

  it('creates an object once: a reused upload URL cannot overwrite it (412), as S3 conditional writes', async () => {
    // Prepare
    const url = await presignedPut('once/a.png');
    const first = await put(url, file);
    // Act
    const again = await put(url, Buffer.alloc(file.length, 1));
    // Assess
    expect(first.status).toBe(200);
    expect(again.status).toBe(412);
    expect(await errorCode(again)).toBe('PreconditionFailed');
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'once/a.png' }));
    expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? []).equals(file)).toBe(true);
  });

  it('refuses a PutObject without If-None-Match, as the documents bucket policy does', async () => {
    // Act
    const refused = await s3
      .send(new PutObjectCommand({ Bucket: bucket, Key: 'sdk/unconditional.txt', Body: 'x' }))
      .catch((error: unknown) => error);
    // Assess
    expect(refused).toBeInstanceOf(S3ServiceException);
    expect((refused as S3ServiceException).$metadata.httpStatusCode).toBe(403);
  });
});
