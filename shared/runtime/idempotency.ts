/**
 * `Idempotency-Key` for POSTs that create (routes with `request.idempotent`), with Powertools
 * idempotency: records live in Main (pk/sk/ttl, 24 h), keyed by caller sub + the header value
 * (SHA-256). A record stores the request it answered: method, concrete path and the SHA-256 of
 * the body. A retry with the same key and the same request gets the stored response; the key
 * with another method, path or body is 422 (so `POST /staff/A/credentials` and then
 * `/staff/B/credentials` with one key never replays A's answer); a retry while the first still
 * runs is 409. Failed operations leave no record, so a corrected retry with the same key runs again.
 *
 * Records written before this layout (MD5, keyed by sub + route template + key, body only) are
 * still read until they expire, so a client retrying across the deploy gets its answer.
 */
import { createHash } from 'node:crypto';
import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import {
  IdempotencyConfig,
  IdempotencyRecordStatus,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoClient } from '#data/client.ts';
import { IDEMPOTENCY_PARTITION } from '#data/keys.ts';
import { canonicalJson } from '#domain/audit/entry.ts';
import { Conflict, DependencyUnavailable, RuleViolation } from '#domain/errors.ts';
import { requireEnv } from './config.ts';
import { IDEMPOTENCY_REPLAYED_HEADER, IDEMPOTENCY_TTL_SECONDS } from './http-input.ts';

/** What an idempotent operation returns: JSON only, since it is stored and replayed. */
export interface StoredResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface IdempotentCall {
  userId: string;
  /** The route template (`POST /staff/{staffId}/credentials`): only legacy records are keyed by it. */
  routeKey: string;
  method: string;
  /** The concrete path the client called. */
  path: string;
  key: string;
  body: unknown;
  context: Context;
}

/** The request a record answered; a reused key must carry the same one. */
export interface RequestFingerprint {
  method: string;
  path: string;
  bodySha256: string;
}

type Recorded = StoredResponse & { request?: RequestFingerprint };

/** SHA-256 (hex) of the RFC 8785 canonical JSON of the validated body, so key order never matters. */
export const bodySha256 = (body: unknown): string =>
  createHash('sha256')
    .update(canonicalJson(body ?? null))
    .digest('hex');

const markReplayed = <T>(response: T): T => {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return response;
  const headers = 'headers' in response && typeof response.headers === 'object' ? response.headers : {};
  return { ...response, headers: { ...headers, [IDEMPOTENCY_REPLAYED_HEADER]: 'true' } };
};

const config = new IdempotencyConfig({
  eventKeyJmesPath: 'key',
  payloadValidationJmesPath: 'request',
  hashFunction: 'sha256',
  expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
  responseHook: (response) => markReplayed(response),
});

// The layout before method and path were recorded: Powertools' default MD5, body-only validation.
const legacyConfig = new IdempotencyConfig({
  eventKeyJmesPath: 'key',
  payloadValidationJmesPath: 'body',
  hashFunction: 'md5',
  expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
});

// The same sk in AWS and the twin (the default prefix is the Lambda function's name).
const KEY_PREFIX = 'shiftline';

// Created on first use, so functions without idempotent routes never need MAIN_TABLE_NAME. One
// layer per configuration: a layer keeps the first configuration it is given.
const layers: { current?: DynamoDBPersistenceLayer; legacy?: DynamoDBPersistenceLayer } = {};
const newLayer = () =>
  new DynamoDBPersistenceLayer({
    tableName: requireEnv('mainTable'),
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    expiryAttr: 'ttl',
    staticPkValue: IDEMPOTENCY_PARTITION,
    awsSdkV3Client: dynamoClient,
  });
const persistence = (): DynamoDBPersistenceLayer => {
  layers.current ??= newLayer();
  return layers.current;
};
const legacyPersistence = (): DynamoDBPersistenceLayer => {
  if (layers.legacy === undefined) {
    layers.legacy = newLayer();
    layers.legacy.configure({ config: legacyConfig, keyPrefix: KEY_PREFIX });
  }
  return layers.legacy;
};

type Payload = { key: { userId: string; key: string }; request: RequestFingerprint };

// The stored response goes through DynamoDB marshalling, which refuses `undefined` values.
const jsonSafe = (response: StoredResponse): StoredResponse => JSON.parse(JSON.stringify(response));

const withoutRequest = ({ request: _request, ...response }: Recorded): StoredResponse => response;

/**
 * The answer of a record written before the change, if one is still live: replayed when the body
 * matches (the old records knew nothing else), 422 when it does not, 409 while it runs.
 */
const legacyAnswer = async (call: IdempotentCall): Promise<StoredResponse | undefined> => {
  const payload = {
    key: { userId: call.userId, routeKey: call.routeKey, key: call.key },
    body: (call.body ?? null) as JSONValue,
  };
  let record: Awaited<ReturnType<DynamoDBPersistenceLayer['getRecord']>>;
  try {
    record = await legacyPersistence().getRecord(payload);
  } catch (error) {
    if (error instanceof Error && error.name === 'IdempotencyItemNotFoundError') return undefined;
    throw error;
  }
  const status = record.getStatus();
  if (status === IdempotencyRecordStatus.COMPLETED)
    return markReplayed(record.getResponse() as unknown as StoredResponse);
  if (status === IdempotencyRecordStatus.INPROGRESS && (record.inProgressExpiryTimestamp ?? 0) > Date.now()) {
    throw inProgress();
  }
  return undefined;
};

/** Runs `operation` at most once per (caller, key) within 24 h; maps the library's errors. */
export const runIdempotent = async (
  call: IdempotentCall,
  operation: () => Promise<StoredResponse>,
): Promise<StoredResponse> => {
  const request: RequestFingerprint = {
    method: call.method,
    path: call.path,
    bodySha256: bodySha256(call.body),
  };
  config.registerLambdaContext(call.context);
  const idempotent = makeIdempotent(
    async (_payload: Payload): Promise<Recorded> => ({ ...jsonSafe(await operation()), request }),
    { persistenceStore: persistence(), config, keyPrefix: KEY_PREFIX, dataIndexArgument: 0 },
  );
  try {
    const legacy = await legacyAnswer(call);
    if (legacy !== undefined) return legacy;
    return withoutRequest(await idempotent({ key: { userId: call.userId, key: call.key }, request }));
  } catch (error) {
    throw mapIdempotencyError(error, request);
  }
};

const inProgress = () =>
  new Conflict('A request with this Idempotency-Key is still in progress: retry shortly', 'in-progress');

/** Which part of the request differs from the one the key was first used with. */
const difference = (stored: RequestFingerprint | undefined, request: RequestFingerprint): string => {
  if (stored === undefined) return 'reused with another request';
  if (stored.method !== request.method) return 'reused with another method';
  if (stored.path !== request.path) return 'reused with another path';
  return 'reused with another body';
};

const storedRequestOf = (error: Error): RequestFingerprint | undefined => {
  const record = (error as { existingRecord?: { responseData?: unknown } }).existingRecord;
  const data = record?.responseData as Recorded | undefined;
  // In-progress and legacy records hold no request.
  return data?.request;
};

const mapIdempotencyError = (error: unknown, request: RequestFingerprint): unknown => {
  if (!(error instanceof Error)) return error;
  switch (error.name) {
    case 'IdempotencyValidationError':
      return new RuleViolation(
        'This Idempotency-Key was used with another request (method, path or body): use a new key',
        { idempotencyKey: difference(storedRequestOf(error), request) },
      );
    case 'IdempotencyAlreadyInProgressError':
      return inProgress();
    case 'IdempotencyPersistenceLayerError':
      return new DependencyUnavailable('idempotency store unavailable', { cause: error });
    default:
      return error;
  }
};
