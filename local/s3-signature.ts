import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';

/**
 * SigV4 verification for the twin's object store: s3rver checks no V4 signature, so the
 * front in object-store.ts runs every request through `verifyS3Request` first.
 */
export interface Credentials {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The payload, already decoded from aws-chunked framing (see decodeAwsChunked). */
  body: Buffer;
  /** Trailing headers of an aws-chunked body (the SDK sends its checksum there). */
  trailers?: Record<string, string>;
}

export interface S3Failure {
  status: number;
  code: string;
  message: string;
}

export const fail = (status: number, code: string, message: string): S3Failure => ({ status, code, message });
const mismatch = () =>
  fail(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );

const MAX_SKEW_MS = 15 * 60_000;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it: only A-Z a-z 0-9 - _ . ~ stay literal. */
const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const decode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

export const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const parseAmzDate = (value: string | undefined): number | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return m
    ? Date.UTC(+(m[1] ?? 0), +(m[2] ?? 1) - 1, +(m[3] ?? 0), +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0))
    : undefined;
};

/**
 * Verifies an S3 request's SigV4 signature (Authorization header or presigned query) the way
 * S3 does: the canonical request is rebuilt from what actually arrived, so a changed
 * signed header (content-type, content-length), path or query fails; so does an expired URL.
 * Returns undefined when the request may pass.
 */
export const verifyS3Request = (request: SignedRequest, credentials: Credentials, now = Date.now()) => {
  const [rawPath = '/', rawQuery = ''] = request.url.split(/\?(.*)/s);
  const query = rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): [string, string] => {
      const [key = '', value = ''] = pair.split(/=(.*)/s);
      return [decode(key), decode(value)];
    });
  const param = (name: string) => query.find(([key]) => key === name)?.[1];
  const authorization = headerValue(request.headers, 'authorization');
  const presigned = param('X-Amz-Algorithm') !== undefined;
  if (authorization && presigned) return fail(400, 'InvalidArgument', 'Only one auth mechanism allowed');

  let algorithm: string | undefined;
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let amzDate: string | undefined;
  let payloadHash: string | undefined;
  if (presigned) {
    algorithm = param('X-Amz-Algorithm');
    credential = param('X-Amz-Credential');
    signedHeaders = param('X-Amz-SignedHeaders');
    signature = param('X-Amz-Signature');
    amzDate = param('X-Amz-Date');
    payloadHash = param('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
    const signedAt = parseAmzDate(amzDate);
    const expires = Number(param('X-Amz-Expires'));
    if (signedAt === undefined || !Number.isInteger(expires) || expires < 1 || expires > 604_800) {
      return fail(
        400,
        'AuthorizationQueryParametersError',
        'X-Amz-Date or X-Amz-Expires is missing or invalid',
      );
    }
    if (now > signedAt + expires * 1000) return fail(403, 'AccessDenied', 'Request has expired');
    if (signedAt - now > MAX_SKEW_MS) return fail(403, 'AccessDenied', 'Request is not valid yet');
  } else if (authorization) {
    const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
    algorithm = scheme;
    const fields = new Map(
      rest
        .join('')
        .split(',')
        .map((field) => field.split(/=(.*)/s) as [string, string]),
    );
    credential = fields.get('Credential');
    signedHeaders = fields.get('SignedHeaders');
    signature = fields.get('Signature');
    amzDate = headerValue(request.headers, 'x-amz-date');
    payloadHash = headerValue(request.headers, 'x-amz-content-sha256');
    const signedAt = parseAmzDate(amzDate);
    if (signedAt === undefined)
      return fail(403, 'AccessDenied', 'AWS authentication requires a valid x-amz-date header');
    if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
      return fail(
        403,
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
      );
    }
    if (!payloadHash)
      return fail(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  } else {
    return fail(403, 'AccessDenied', 'Access Denied');
  }

  if (algorithm !== 'AWS4-HMAC-SHA256') return fail(400, 'InvalidArgument', 'Unsupported signing algorithm');
  if (!credential || !signedHeaders || !signature || !amzDate) {
    return fail(400, 'AuthorizationHeaderMalformed', 'Credential, SignedHeaders and Signature are required');
  }
  const [accessKeyId, day, region, service, terminator] = credential.split('/');
  if (accessKeyId !== credentials.accessKeyId) {
    return fail(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  }
  if (
    day !== amzDate.slice(0, 8) ||
    region !== credentials.region ||
    service !== 's3' ||
    terminator !== 'aws4_request'
  ) {
    return fail(
      400,
      'AuthorizationHeaderMalformed',
      `The credential scope is wrong; expecting region ${credentials.region}`,
    );
  }
  const headerNames = signedHeaders.split(';');
  if (!headerNames.includes('host'))
    return fail(400, 'AuthorizationHeaderMalformed', 'The host header must be signed');

  const canonicalUri = rawPath
    .split('/')
    .map((segment) => encode(decode(segment)))
    .join('/');
  const canonicalQuery = query
    .filter(([key]) => !(presigned && key === 'X-Amz-Signature'))
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .sort()
    .join('&');
  const canonicalHeaders = headerNames
    .map((name) => `${name}:${(headerValue(request.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = ['s3', 'aws4_request'].reduce(
    (k, part) => hmac(k, part),
    hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region),
  );
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'));
  const provided = Buffer.from(signature);
  if (expected.length !== provided.length || !timingSafeEqual(expected, provided)) return mismatch();

  if (/^[0-9a-f]{64}$/i.test(payloadHash) && sha256(request.body) !== payloadHash.toLowerCase()) {
    return fail(
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  return checksumFailure(request, param);
};

/** Checksums the client sent (header or hoisted into a presigned URL) must match the body, as S3 checks them. */
const checksumFailure = (request: SignedRequest, param: (name: string) => string | undefined) => {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(request.body));
  const checks: Array<[string, () => string]> = [
    ['content-md5', () => createHash('md5').update(request.body).digest('base64')],
    ['x-amz-checksum-crc32', () => crc.toString('base64')],
    ['x-amz-checksum-sha1', () => createHash('sha1').update(request.body).digest('base64')],
    ['x-amz-checksum-sha256', () => createHash('sha256').update(request.body).digest('base64')],
  ];
  for (const [name, compute] of checks) {
    const claimed = headerValue(request.headers, name) ?? request.trailers?.[name] ?? param(name);
    if (claimed !== undefined && claimed !== compute()) {
      return fail(400, 'BadDigest', `The ${name} you specified did not match the calculated checksum.`);
    }
  }
  return undefined;
};

/**
 * Undoes aws-chunked framing (`<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n`),
 * which the SDK uses for stream bodies and s3rver would store verbatim. Chunk signatures
 * (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) are not verified; the SDK v3 sends unsigned chunks.
 */
export const decodeAwsChunked = (
  raw: Buffer,
): { body: Buffer; trailers: Record<string, string> } | undefined => {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isInteger(size) || size < 0) return undefined;
    offset = lineEnd + 2;
    if (size === 0) break;
    if (raw.length < offset + size + 2) return undefined;
    parts.push(raw.subarray(offset, offset + size));
    offset += size + 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of raw.subarray(offset).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
};
