/**
 * What an S3 request claims about its SigV4 signature (from a presigned URL's query or the
 * Authorization header), checked as S3 checks it before it looks at the signature itself:
 * the validity window, the algorithm, the key and the credential scope. s3-signature.ts then
 * checks the signature.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The one key the twin's object store accepts. */
export interface Credentials {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The payload, already decoded from aws-chunked framing (see decodeAwsChunked in object-store.ts). */
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
export const isFailure = (value: object): value is S3Failure => 'code' in value && 'status' in value;

const ALGORITHM = 'AWS4-HMAC-SHA256';
export const PAYLOAD_HASH_HEADER = 'x-amz-content-sha256';
const MAX_SKEW_MS = 15 * 60_000;
/** SigV4 presigned URLs live at most a week. */
const MAX_EXPIRES_S = 604_800;

export const decode = (value: string) => {
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

const parseAmzDate = (value: string | undefined): Date | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return m
    ? new Date(
        Date.UTC(+(m[1] ?? 0), +(m[2] ?? 1) - 1, +(m[3] ?? 0), +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)),
      )
    : undefined;
};

/** The request target as it arrived: the raw path and the decoded query pairs, in order. */
export interface Target {
  path: string;
  query: Array<[string, string]>;
}

export const parseTarget = (url: string): Target => {
  const [path = '/', rawQuery = ''] = url.split(/\?(.*)/s);
  const query = rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): [string, string] => {
      const [key = '', value = ''] = pair.split(/=(.*)/s);
      return [decode(key), decode(value)];
    });
  return { path, query };
};

export const paramOf = (target: Target, name: string) => target.query.find(([key]) => key === name)?.[1];

/** What a request claims about its own signature, from its query (presigned) or its Authorization header. */
export interface Claim {
  presigned: boolean;
  algorithm: string | undefined;
  credential: string | undefined;
  signedHeaders: string | undefined;
  signature: string | undefined;
  amzDate: string;
  signedAt: Date;
  payloadHash: string;
  /** Seconds a presigned URL stays valid; 0 for a header-signed request. */
  expiresIn: number;
}

const presignedClaim = (target: Target, now: number): Claim | S3Failure => {
  const amzDate = paramOf(target, 'X-Amz-Date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  const expiresIn = Number(paramOf(target, 'X-Amz-Expires'));
  if (signedAt === undefined || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_S) {
    return fail(
      400,
      'AuthorizationQueryParametersError',
      'X-Amz-Date or X-Amz-Expires is missing or invalid',
    );
  }
  if (now > signedAt.getTime() + expiresIn * 1000) return fail(403, 'AccessDenied', 'Request has expired');
  if (signedAt.getTime() - now > MAX_SKEW_MS) return fail(403, 'AccessDenied', 'Request is not valid yet');
  return {
    presigned: true,
    algorithm: paramOf(target, 'X-Amz-Algorithm'),
    credential: paramOf(target, 'X-Amz-Credential'),
    signedHeaders: paramOf(target, 'X-Amz-SignedHeaders'),
    signature: paramOf(target, 'X-Amz-Signature'),
    amzDate,
    signedAt,
    payloadHash: paramOf(target, 'X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
    expiresIn,
  };
};

const headerClaim = (headers: IncomingHttpHeaders, authorization: string, now: number): Claim | S3Failure => {
  const [algorithm = '', ...rest] = authorization.trim().split(/\s+/);
  const fields = new Map(
    rest
      .join('')
      .split(',')
      .map((field) => field.split(/=(.*)/s) as [string, string]),
  );
  const amzDate = headerValue(headers, 'x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined)
    return fail(403, 'AccessDenied', 'AWS authentication requires a valid x-amz-date header');
  if (Math.abs(now - signedAt.getTime()) > MAX_SKEW_MS) {
    return fail(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  }
  const payloadHash = headerValue(headers, PAYLOAD_HASH_HEADER);
  if (!payloadHash)
    return fail(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  return {
    presigned: false,
    algorithm,
    credential: fields.get('Credential'),
    signedHeaders: fields.get('SignedHeaders'),
    signature: fields.get('Signature'),
    amzDate,
    signedAt,
    payloadHash,
    expiresIn: 0,
  };
};

export const claimOf = (request: SignedRequest, target: Target, now: number): Claim | S3Failure => {
  const authorization = headerValue(request.headers, 'authorization');
  const presigned = paramOf(target, 'X-Amz-Algorithm') !== undefined;
  if (authorization && presigned) return fail(400, 'InvalidArgument', 'Only one auth mechanism allowed');
  if (presigned) return presignedClaim(target, now);
  if (authorization) return headerClaim(request.headers, authorization, now);
  return fail(403, 'AccessDenied', 'Access Denied');
};

/** A claim that names every part a signature needs, under this store's key and scope. */
export interface CompleteClaim extends Claim {
  signature: string;
  headerNames: string[];
}

export const completeClaim = (claim: Claim, credentials: Credentials): CompleteClaim | S3Failure => {
  const { algorithm, credential, signedHeaders, signature, amzDate } = claim;
  if (algorithm !== ALGORITHM) return fail(400, 'InvalidArgument', 'Unsupported signing algorithm');
  if (!credential || !signedHeaders || !signature) {
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
  const scope = [amzDate.slice(0, 8), credentials.region, 's3', 'aws4_request'];
  if ([day, region, service, terminator].some((part, index) => part !== scope[index])) {
    return fail(
      400,
      'AuthorizationHeaderMalformed',
      `The credential scope is wrong; expecting region ${credentials.region}`,
    );
  }
  const headerNames = signedHeaders.split(';');
  if (!headerNames.includes('host'))
    return fail(400, 'AuthorizationHeaderMalformed', 'The host header must be signed');
  return { ...claim, signature, headerNames };
};
