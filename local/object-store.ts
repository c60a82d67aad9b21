import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAwsChunked } from './aws-chunked.ts';
import type { CreatedObject } from './bucket-events.ts';
import { fail, headerValue, type S3Failure } from './s3-claim.ts';
import { verifyS3Request } from './s3-signature.ts';

export interface ObjectStoreOptions {
  /** Port of the verifying front (the S3 endpoint clients use); 0 picks a free one. */
  port: number;
  /** Persist objects here; omit for a temporary directory removed on stop (tests). */
  dataDir?: string;
  bucket: string;
  /** Buckets with Object Lock (compliance mode): their objects can be neither deleted nor replaced. */
  lockedBuckets?: readonly string[];
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Told of every object created, as S3 event notifications are (local/bucket-events.ts). */
  onObjectCreated?: (object: CreatedObject) => void;
}

export interface RunningObjectStore {
  /** The endpoint for S3 clients; an IP address, so the SDK addresses buckets path-style. */
  url: string;
  port: number;
  stop: () => Promise<void>;
}

interface S3rver {
  run: () => Promise<AddressInfo>;
  close: () => Promise<void>;
  httpServer?: Server;
}

const require = createRequire(import.meta.url);
const S3rverClass = require('s3rver') as new (options: Record<string, unknown>) => S3rver;
// s3rver only accepts keys it knows; it checks no V4 signature (the front below does).
const s3rverAccount = require('s3rver/lib/models/account.js') as {
  DUMMY_ACCOUNT: { createKeyPair: (accessKeyId: string, secretAccessKey: string) => void };
};

const xmlEscape = (value: string) =>
  value.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag, Content-Disposition, x-amz-request-id, x-amz-version-id',
};

const sendFailure = (response: ServerResponse, method: string, failure: S3Failure) => {
  const requestId = randomUUID();
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${failure.code}</Code><Message>${xmlEscape(failure.message)}</Message>` +
    `<RequestId>${requestId}</RequestId><HostId>shiftline-local</HostId></Error>`;
  response.writeHead(failure.status, {
    ...corsHeaders,
    'content-type': 'application/xml',
    'x-amz-request-id': requestId,
    'content-length': Buffer.byteLength(body),
  });
  response.end(method === 'HEAD' ? undefined : body);
};

/** Browsers preflight presigned PUTs; S3 answers from the bucket's CORS rules, the twin allows all. */
const sendPreflight = (request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(200, {
    'access-control-allow-origin': headerValue(request.headers, 'origin') ?? '*',
    'access-control-allow-methods': 'GET, PUT, POST, DELETE, HEAD',
    'access-control-allow-headers': headerValue(request.headers, 'access-control-request-headers') ?? '*',
    'access-control-expose-headers': corsHeaders['access-control-expose-headers'],
    'access-control-max-age': '3000',
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    'content-length': 0,
  });
  response.end();
};

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** Verifies the request and returns what s3rver should receive (aws-chunked bodies unframed). */
const prepare = async (request: IncomingMessage, credentials: ObjectStoreOptions) => {
  const raw = await readBody(request);
  const headers: IncomingHttpHeaders = { ...request.headers };
  const encodings = (headers['content-encoding'] ?? '').split(',').map((e) => e.trim());
  const chunked = encodings.includes('aws-chunked');
  const decoded = chunked ? decodeAwsChunked(raw) : { body: raw, trailers: undefined };
  if (!decoded || (chunked && String(decoded.body.length) !== headers['x-amz-decoded-content-length'])) {
    return fail(400, 'IncompleteBody', 'The aws-chunked body does not match x-amz-decoded-content-length');
  }
  const { body, trailers } = decoded;
  const method = request.method ?? 'GET';
  const failure = await verifyS3Request(
    { method, url: request.url ?? '/', headers, body, trailers },
    credentials,
  );
  if (failure) return failure;
  if (trailers) {
    const rest = encodings.filter((e) => e !== 'aws-chunked' && e !== '');
    if (rest.length > 0) headers['content-encoding'] = rest.join(', ');
    else delete headers['content-encoding'];
    for (const name of ['x-amz-decoded-content-length', 'x-amz-trailer']) delete headers[name];
    headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  }
  if (body.length > 0 || headers['content-length'] !== undefined || trailers) {
    delete headers['transfer-encoding'];
    headers['content-length'] = String(body.length);
  }
  return { headers, body };
};

/** `/<bucket>/<key>`: an object (not a bucket) request. */
const isObjectPath = (url: string | undefined) => /^\/[^/?]+\/[^?]+/.test(url ?? '');

const backendHas = (backendPort: number, path: string) =>
  new Promise<boolean>((resolve, reject) => {
    const head = httpRequest({ host: '127.0.0.1', port: backendPort, method: 'HEAD', path }, (answer) => {
      answer.resume();
      resolve(answer.statusCode === 200);
    });
    head.on('error', reject);
    head.end();
  });

/**
 * Object Lock in compliance mode, which s3rver lacks: a locked object version cannot be deleted
 * by anyone (overwrites are refused for every bucket below). S3 would add a delete marker for a
 * DELETE without a version id; the evidence bucket's policy denies that too, so both are 403.
 */
const refuseDelete = (request: IncomingMessage, lockedBuckets: readonly string[]): S3Failure | undefined => {
  if (request.method !== 'DELETE' && request.method !== 'POST') return undefined;
  const [, bucket] = (request.url ?? '/').split('?')[0]?.split('/') ?? [];
  if (!bucket || !lockedBuckets.includes(bucket)) return undefined;
  return fail(403, 'AccessDenied', 'Access Denied because object protected by object lock.');
};

/**
 * S3 conditional create, which s3rver lacks: `If-None-Match: *` refuses a key that exists (412)
 * or is being written (409, as S3 answers a concurrent conditional write). The documents bucket's
 * policy denies a PutObject without it, so every upload creates a new object, never overwrites.
 */
const refuseOverwrite = async (
  request: IncomingMessage,
  backendPort: number,
  writing: Set<string>,
): Promise<S3Failure | undefined> => {
  if (request.method !== 'PUT' || !isObjectPath(request.url)) return undefined;
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (headerValue(request.headers, 'if-none-match') !== '*') {
    return fail(403, 'AccessDenied', 'The bucket policy requires If-None-Match: * on PutObject');
  }
  if (writing.has(path)) {
    return fail(409, 'ConditionalRequestConflict', 'A conflicting operation is in progress on this object');
  }
  if (await backendHas(backendPort, path)) {
    return fail(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
  }
  return undefined;
};

const notifyCreated = (options: ObjectStoreOptions, path: string, size: number, eTag: string) => {
  const [, bucket = '', ...key] = path.split('/');
  options.onObjectCreated?.({ bucket, key: decodeURIComponent(key.join('/')), size, eTag });
};

/** The verifying front: checks each request as S3 would, then forwards it to s3rver. */
const createFront = (options: ObjectStoreOptions, backendPort: number) => {
  const writing = new Set<string>();
  return createServer(async (request, response) => {
    const method = request.method ?? 'GET';
    try {
      if (method === 'OPTIONS') return sendPreflight(request, response);
      const forwarded = await prepare(request, options);
      if ('code' in forwarded) return sendFailure(response, method, forwarded);
      const refused =
        refuseDelete(request, options.lockedBuckets ?? []) ??
        (await refuseOverwrite(request, backendPort, writing));
      if (refused) return sendFailure(response, method, refused);
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      if (method === 'PUT') {
        writing.add(path);
        response.on('close', () => writing.delete(path));
      }
      const { headers, body } = forwarded;
      const upstream = httpRequest({
        host: '127.0.0.1',
        port: backendPort,
        method,
        path: request.url,
        headers,
      });
      upstream.on('response', (answer) => {
        response.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...corsHeaders });
        answer.pipe(response);
        if (method === 'PUT' && answer.statusCode === 200 && isObjectPath(path)) {
          answer.on('end', () =>
            notifyCreated(options, path, body.length, String(answer.headers.etag ?? '')),
          );
        }
      });
      upstream.on('error', () =>
        sendFailure(response, method, fail(503, 'ServiceUnavailable', 'Object store backend failed')),
      );
      upstream.end(body);
    } catch {
      if (!response.headersSent)
        sendFailure(response, method, fail(500, 'InternalError', 'We encountered an internal error.'));
    }
  });
};

/**
 * s3rver (3.7.1 checks no SigV4 signature) on an internal loopback port, behind a front on
 * `port` that verifies every request before forwarding it. Creates the bucket on start.
 */
export const startObjectStore = async (options: ObjectStoreOptions): Promise<RunningObjectStore> => {
  const directory = options.dataDir ?? mkdtempSync(join(tmpdir(), 'shiftline-s3-'));
  mkdirSync(directory, { recursive: true });
  s3rverAccount.DUMMY_ACCOUNT.createKeyPair(options.accessKeyId, options.secretAccessKey);
  const backend = new S3rverClass({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: [options.bucket, ...(options.lockedBuckets ?? [])].map((name) => ({
      name,
      configs: [],
    })),
  });
  const { port: backendPort } = await backend.run();

  const front = createFront(options, backendPort);
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (front.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await new Promise<void>((resolve) => {
        front.close(() => resolve());
        front.closeAllConnections();
      });
      backend.httpServer?.closeAllConnections();
      await backend.close();
      if (!options.dataDir) rmSync(directory, { recursive: true, force: true });
    },
  };
};
