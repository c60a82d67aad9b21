/**
 * `Idempotency-Key` for POSTs that create (routes with `request.idempotent`), with Powertools
 * idempotency: records live in Main (pk/sk/ttl, 24 h), keyed by caller sub + route key + the
 * header value, with the body as the validated payload. A retry with the same key and body gets
 * the stored response; another body is 422; a retry while the first still runs is 409.
 * Failed operations leave no record, so a corrected retry with the same key runs again.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoClient } from '#data/client.ts';
import { IDEMPOTENCY_PARTITION } from '#data/keys.ts';
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
  routeKey: string;
  key: string;
  body: unknown;
  context: Context;
}

const markReplayed = <T>(response: T): T => {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return response;
  const headers = 'headers' in response && typeof response.headers === 'object' ? response.headers : {};
  return { ...response, headers: { ...headers, [IDEMPOTENCY_REPLAYED_HEADER]: 'true' } };
};

const config = new IdempotencyConfig({
  eventKeyJmesPath: 'key',
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
  responseHook: (response) => markReplayed(response),
});

// Created on first use, so functions without idempotent routes never need MAIN_TABLE_NAME.
let store: DynamoDBPersistenceLayer | undefined;
const persistence = (): DynamoDBPersistenceLayer => {
  store ??= new DynamoDBPersistenceLayer({
    tableName: requireEnv('mainTable'),
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    expiryAttr: 'ttl',
    staticPkValue: IDEMPOTENCY_PARTITION,
    awsSdkV3Client: dynamoClient,
  });
  return store;
};

type Payload = { key: { userId: string; routeKey: string; key: string }; body: unknown };

// The stored response goes through DynamoDB marshalling, which refuses `undefined` values.
const jsonSafe = (response: StoredResponse): StoredResponse => JSON.parse(JSON.stringify(response));

/** Runs `operation` at most once per (caller, route, key) within 24 h; maps the library's errors. */
export const runIdempotent = async (
  call: IdempotentCall,
  operation: () => Promise<StoredResponse>,
): Promise<StoredResponse> => {
  config.registerLambdaContext(call.context);
  const idempotent = makeIdempotent(async (_payload: Payload) => jsonSafe(await operation()), {
    persistenceStore: persistence(),
    config,
    // The same sk in AWS and the twin (the default prefix is the Lambda function's name).
    keyPrefix: 'shiftline',
    dataIndexArgument: 0,
  });
  const payload: Payload = {
    key: { userId: call.userId, routeKey: call.routeKey, key: call.key },
    body: call.body ?? null,
  };
  try {
    return await idempotent(payload);
  } catch (error) {
    throw mapIdempotencyError(error);
  }
};

const mapIdempotencyError = (error: unknown): unknown => {
  if (!(error instanceof Error)) return error;
  switch (error.name) {
    case 'IdempotencyValidationError':
      return new RuleViolation('This Idempotency-Key was used with a different body', {
        idempotencyKey: 'reused with another body',
      });
    case 'IdempotencyAlreadyInProgressError':
      return new Conflict(
        'A request with this Idempotency-Key is still in progress: retry shortly',
        'in-progress',
      );
    case 'IdempotencyPersistenceLayerError':
      return new DependencyUnavailable('idempotency store unavailable', { cause: error });
    default:
      return error;
  }
};
