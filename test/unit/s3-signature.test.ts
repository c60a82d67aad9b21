import type { IncomingHttpHeaders } from 'node:http';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import type { SignedRequest } from '../../local/s3-claim.ts';
import { verifyS3Request } from '../../local/s3-signature.ts';

const ENDPOINT = 'http://127.0.0.1:9000';
const store = { region: 'us-east-1', accessKeyId: 'test-key', secretAccessKey: 'test-secret' };
const SIGNED_AT = new Date('2026-03-01T10:00:00Z');
const SOON_AFTER = SIGNED_AT.getTime() + 60_000;
const body = Buffer.from('%PDF-1.4 licence scan');

const client = (secretAccessKey = store.secretAccessKey) =>
  new S3Client({
    region: store.region,
    endpoint: ENDPOINT,
    forcePathStyle: true,
    credentials: { accessKeyId: store.accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });

/** A presigned PUT binding content type and length, as the documents service makes it. */
const presignedPut = (key = 'docs/licence scan+1.pdf', expiresIn = 300) =>
  getSignedUrl(
    client(),
    new PutObjectCommand({
      Bucket: 'documents',
      Key: key,
      ContentType: 'application/pdf',
      ContentLength: body.length,
    }),
    { expiresIn, signingDate: SIGNED_AT, signableHeaders: new Set(['content-type']) },
  );

/** What the store's front receives when a browser PUTs `payload` to `url`. */
const arrivingPut = (url: string, headers: IncomingHttpHeaders = {}, payload = body): SignedRequest => {
  const { host, pathname, search } = new URL(url);
  return {
    method: 'PUT',
    url: `${pathname}${search}`,
    headers: {
      host,
      'content-type': 'application/pdf',
      'content-length': String(payload.length),
      ...headers,
    },
    body: payload,
  };
};

/** The request the SDK sends for a command, signed in the Authorization header, caught before it leaves. */
const headerSigned = async (secretAccessKey?: string): Promise<SignedRequest> => {
  const caught: SignedRequest[] = [];
  const sdk = client(secretAccessKey);
  sdk.middlewareStack.add(
    () => async (args) => {
      const request = args.request as { method: string; path: string; headers: Record<string, string> };
      caught.push({
        method: request.method,
        url: request.path,
        headers: request.headers,
        body: Buffer.alloc(0),
      });
      throw new Error('caught');
    },
    { step: 'finalizeRequest', priority: 'low', name: 'catchSignedRequest' },
  );
  await sdk.send(new HeadObjectCommand({ Bucket: 'documents', Key: 'docs/a.pdf' })).catch(() => undefined);
  const [request] = caught;
  if (!request) throw new Error('the SDK sent nothing');
  return request;
};

describe('presigned URL verification', () => {
  it('lets through the request the URL was signed for', async () => {
    // Prepare
    const request = arrivingPut(await presignedPut());
    // Act
    const failure = await verifyS3Request(request, store, SOON_AFTER);
    // Assess
    expect(failure).toBeUndefined();
  });

  it.each([
    [
      'a changed signature',
      (url: string) =>
        url.replace(/X-Amz-Signature=(.)/, (_, c) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`),
    ],
    ['a longer expiry', (url: string) => url.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000')],
    ['another object key', (url: string) => url.replace('licence%20scan', 'other%20scan')],
    ['an added query parameter', (url: string) => `${url}&response-content-type=text%2Fhtml`],
  ])('refuses a URL with %s', async (_, tamper) => {
    // Prepare
    const request = arrivingPut(tamper(await presignedPut()));
    // Act
    const failure = await verifyS3Request(request, store, SOON_AFTER);
    // Assess
    expect(failure).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it.each([
    ['content type', { 'content-type': 'text/html' }, body],
    ['content length', {}, Buffer.concat([body, Buffer.from('x')])],
  ])('refuses a PUT whose %s differs from the signed one', async (_, headers, payload) => {
    // Prepare
    const request = arrivingPut(await presignedPut(), headers, payload);
    // Act
    const failure = await verifyS3Request(request, store, SOON_AFTER);
    // Assess
    expect(failure).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('refuses a URL once it has expired, and before it was signed', async () => {
    // Prepare
    const request = arrivingPut(await presignedPut('docs/late.pdf', 60));
    // Act
    const late = await verifyS3Request(request, store, SIGNED_AT.getTime() + 61_000);
    const early = await verifyS3Request(request, store, SIGNED_AT.getTime() - 16 * 60_000);
    // Assess
    expect(late).toEqual({ status: 403, code: 'AccessDenied', message: 'Request has expired' });
    expect(early).toEqual({ status: 403, code: 'AccessDenied', message: 'Request is not valid yet' });
  });

  it('refuses a URL signed with another key, and a request with no signature', async () => {
    // Prepare
    const url = await presignedPut();
    const unsigned = arrivingPut(url.split('?')[0] ?? url);
    const foreignKey = arrivingPut(url.replace('test-key', 'other-key'));
    // Act
    const failures = await Promise.all(
      [unsigned, foreignKey].map((r) => verifyS3Request(r, store, SOON_AFTER)),
    );
    // Assess
    expect(failures).toMatchObject([
      { status: 403, code: 'AccessDenied' },
      { status: 403, code: 'InvalidAccessKeyId' },
    ]);
  });
});

describe('header-signed request verification', () => {
  it('lets through an SDK request signed with the store key', async () => {
    // Prepare
    const request = await headerSigned();
    // Act
    const failure = await verifyS3Request(request, store, Date.now());
    // Assess
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test-key\//);
    expect(failure).toBeUndefined();
  });

  it('refuses one signed with a wrong secret, or whose signed host changed', async () => {
    // Prepare
    const wrongSecret = await headerSigned('wrong');
    const genuine = await headerSigned();
    const moved = { ...genuine, headers: { ...genuine.headers, host: '127.0.0.1:9001' } };
    // Act
    const failures = await Promise.all(
      [wrongSecret, moved].map((request) => verifyS3Request(request, store, Date.now())),
    );
    // Assess
    expect(failures).toMatchObject([
      { status: 403, code: 'SignatureDoesNotMatch' },
      { status: 403, code: 'SignatureDoesNotMatch' },
    ]);
  });
});
