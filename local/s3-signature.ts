/**
 * SigV4 verification for the twin's object store: s3rver checks no V4 signature, so the
 * front in object-store.ts runs every request through `verifyS3Request` first. The signature
 * is not recomputed by hand: the request is signed again with `@smithy/signature-v4` (the
 * signer the SDK itself uses) from what actually arrived, and the two signatures compared.
 */
import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  type CompleteClaim,
  type Credentials,
  claimOf,
  completeClaim,
  decode,
  fail,
  headerValue,
  isFailure,
  PAYLOAD_HASH_HEADER,
  paramOf,
  parseTarget,
  type S3Failure,
  type SignedRequest,
  type Target,
} from './s3-claim.ts';

const MISMATCH = fail(
  403,
  'SignatureDoesNotMatch',
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
);

const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** RFC 3986 encoding as SigV4 wants it: only A-Z a-z 0-9 - _ . ~ stay literal. */
const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signer hands a hash its key as a string or bytes; node:crypto wants a string or a typed array. */
const keyBytes = (secret: string | ArrayBuffer | ArrayBufferView) => {
  if (typeof secret === 'string') return secret;
  return ArrayBuffer.isView(secret)
    ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)
    : new Uint8Array(secret);
};

/** node:crypto behind the hash interface the signer takes (an HMAC when given a key). */
class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', keyBytes(secret));
  }
  update(data: Uint8Array) {
    this.#hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.#hash.digest());
  }
}

type Signable = Parameters<SignatureV4['presign']>[0];

/**
 * The request as the signer must see it: S3 paths are not double-encoded (`uriEscapePath:
 * false`), so the path goes in already canonical; only the signed headers go in, with the
 * payload hash as a header (where the signer reads it) unless the client signed that header.
 */
const signableOf = (request: SignedRequest, target: Target, claim: CompleteClaim): Signable => ({
  method: request.method,
  protocol: 'http:',
  hostname: headerValue(request.headers, 'host') ?? 'localhost',
  path: target.path
    .split('/')
    .map((segment) => encode(decode(segment)))
    .join('/'),
  // Values as lists: the signer sorts a repeated key's values, as SigV4 wants.
  query: Object.fromEntries(
    Array.from(
      Map.groupBy(target.query, ([key]) => key),
      ([key, pairs]) => [key, pairs.map(([, value]) => value)],
    ),
  ),
  headers: {
    [PAYLOAD_HASH_HEADER]: claim.payloadHash,
    ...Object.fromEntries(claim.headerNames.map((name) => [name, headerValue(request.headers, name) ?? ''])),
  },
});

/** Signs the request again, as the client should have, and returns the signature that gives. */
const expectedSignature = async (signable: Signable, claim: CompleteClaim, credentials: Credentials) => {
  const signer = new SignatureV4({
    credentials,
    region: credentials.region,
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signableHeaders = new Set(claim.headerNames);
  if (claim.presigned) {
    const presigned = await signer.presign(signable, {
      signingDate: claim.signedAt,
      expiresIn: claim.expiresIn,
      signableHeaders,
      unsignableHeaders: new Set([PAYLOAD_HASH_HEADER]),
      // Headers the client signed stay headers; the signer would otherwise hoist x-amz-* into the query.
      unhoistableHeaders: new Set([...claim.headerNames, PAYLOAD_HASH_HEADER]),
    });
    return String(presigned.query?.['X-Amz-Signature'] ?? '');
  }
  const signed = await signer.sign(signable, {
    signingDate: claim.signedAt,
    signableHeaders,
    unsignableHeaders: new Set(['x-amz-date', PAYLOAD_HASH_HEADER]),
  });
  return /Signature=([0-9a-f]+)$/.exec(signed.headers.authorization ?? '')?.[1] ?? '';
};

const sameSignature = (expected: string, provided: string) => {
  const [a, b] = [Buffer.from(expected), Buffer.from(provided)];
  return a.length === b.length && timingSafeEqual(a, b);
};

const payloadFailure = (body: Buffer, payloadHash: string) =>
  /^[0-9a-f]{64}$/i.test(payloadHash) && sha256Hex(body) !== payloadHash.toLowerCase()
    ? fail(
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      )
    : undefined;

/** Checksums the client sent (header or hoisted into a presigned URL) must match the body, as S3 checks them. */
const checksumFailure = (request: SignedRequest, target: Target) => {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(request.body));
  const checks: Array<[string, () => string]> = [
    ['content-md5', () => createHash('md5').update(request.body).digest('base64')],
    ['x-amz-checksum-crc32', () => crc.toString('base64')],
    ['x-amz-checksum-sha1', () => createHash('sha1').update(request.body).digest('base64')],
    ['x-amz-checksum-sha256', () => createHash('sha256').update(request.body).digest('base64')],
  ];
  const wrong = checks.find(([name, compute]) => {
    const claimed = headerValue(request.headers, name) ?? request.trailers?.[name] ?? paramOf(target, name);
    return claimed !== undefined && claimed !== compute();
  });
  return (
    wrong && fail(400, 'BadDigest', `The ${wrong[0]} you specified did not match the calculated checksum.`)
  );
};

/**
 * Verifies an S3 request's SigV4 signature (Authorization header or presigned query) the way
 * S3 does: the request is signed again from what actually arrived, so a changed signed header
 * (content-type, content-length), path or query fails; so does an expired URL, and a body
 * that does not match its declared hash or checksums. Resolves undefined when the request may pass.
 */
export const verifyS3Request = async (
  request: SignedRequest,
  credentials: Credentials,
  now = Date.now(),
): Promise<S3Failure | undefined> => {
  const target = parseTarget(request.url);
  const claim = claimOf(request, target, now);
  if (isFailure(claim)) return claim;
  const complete = completeClaim(claim, credentials);
  if (isFailure(complete)) return complete;
  const expected = await expectedSignature(signableOf(request, target, complete), complete, credentials);
  if (!sameSignature(expected, complete.signature)) return MISMATCH;
  return payloadFailure(request.body, complete.payloadHash) ?? checksumFailure(request, target);
};
