/**
 * The local twin: every part of the AWS deployment on one machine, running the same handler
 * modules, table definitions, route table and token verification. `npm start` supervises it
 * (local/start.ts); the e2e harness starts one on free ports with in-memory data.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AUDIT_LEDGER_TABLE, MAIN_TABLE } from '#data/tables.ts';
import { ENV } from '#runtime/config.ts';
import { createTokenVerifier } from '#runtime/token-verifier.ts';
import {
  BUCKET_EVENT_FUNCTIONS,
  type BucketEventFunctionDefinition,
  type FunctionDefinition,
  HTTP_FUNCTIONS,
  SCHEDULED_FUNCTIONS,
  type ScheduledFunctionDefinition,
  STREAM_CONSUMERS,
  type StreamConsumerDefinition,
  TRIGGER_FUNCTIONS,
  WS_FUNCTIONS,
} from '#shared/functions.ts';
import { routeThrottlesFrom } from '#shared/limits.ts';
import { batchedLines } from './access-log.ts';
import { type BucketEventHandler, createBucketNotifier } from './bucket-events.ts';
import { twinOriginPolicy } from './cors.ts';
import { startDynamoDbLocal } from './dynamodb.ts';
import { type HttpHandler, startHttpGateway } from './http-gateway.ts';
import { type IdentityPool, startIdentity } from './identity.ts';
import { type LambdaHandler, startLambdaEndpoint } from './lambda-endpoint.ts';
import { LOCAL_REGION, localCredentials } from './local-aws.ts';
import { LEIE_FIXTURE_PATH, SAM_FIXTURE_PATH, startNppesStub } from './nppes-stub.ts';
import { startObjectStore } from './object-store.ts';
import { type ScheduledHandler, startScheduler } from './scheduler.ts';
import { type StreamHandler, startStreamPoller } from './stream-poller.ts';
import { ensureTable } from './tables.ts';
import type { TwinPorts } from './twin-ports.ts';
import { startWebhookQueues, webhookEnvironment } from './webhook-queues.ts';
import { checkWriteScopes, loadHandler, reportTo, WRITE_SCOPE_REFUSALS } from './write-scopes.ts';
import { startWsGateway } from './ws-gateway.ts';

export interface TwinOptions {
  dataDir: string;
  /** Keep DynamoDB in memory (tests); otherwise it persists under dataDir. */
  inMemory: boolean;
  ports: TwinPorts;
  /** A fixed code for confirmations, resets and temporary passwords (opt-in; twin only). */
  confirmationCode?: string;
  /** Refuse each write to Main outside the writing function's `mainWrites`, as IAM does. */
  checkWriteScopes?: boolean;
  /**
   * Read the Main stream into its consumers (default). Off only to measure what the consumers
   * cost a workload (bench/profile-send.ts): `npm start` always runs them.
   */
  streamConsumers?: boolean;
}

export interface Twin {
  urls: {
    api: string;
    ws: string;
    docs: string;
    scheduler: string;
    dynamodb: string;
    cognito: string;
    s3: string;
  };
  env: Record<string, string>;
  /** Resolves once the stream consumers have processed everything written so far. */
  streamsIdle: (timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
}

export const TABLE_NAMES = { main: 'shiftline-main', ledger: 'shiftline-audit-ledger' } as const;
export const BUCKET_NAME = 'shiftline-documents';
/** Ledger digests and archived days: Object Lock emulated by the object store's front. */
export const EVIDENCE_BUCKET_NAME = 'shiftline-evidence';

/** What a part of the twin needs done when the twin stops, in the reverse order of starting. */
type Stops = Array<() => Promise<void>>;

/** DynamoDB Local with the Main and ledger tables; returns its endpoint and Main's stream. */
const startDatabase = async (options: TwinOptions, stops: Stops) => {
  const { ports, dataDir } = options;
  const dynamodb = await startDynamoDbLocal({
    port: ports.dynamodb,
    dataDir: options.inMemory ? undefined : mkdirp(join(dataDir, 'dynamodb')),
    logFile: join(dataDir, 'logs', 'dynamodb.log'),
  });
  stops.push(dynamodb.stop);
  const endpoint = `http://127.0.0.1:${ports.dynamodb}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials });
  const main = await ensureTable(client, MAIN_TABLE, TABLE_NAMES.main);
  await ensureTable(client, AUDIT_LEDGER_TABLE, TABLE_NAMES.ledger);
  return { endpoint, mainStreamArn: main.streamArn };
};

/** cognito-local and the Lambda endpoint it calls the triggers through (filled in once loaded). */
const startIdentityService = async (options: TwinOptions, stops: Stops) => {
  const triggers: Record<string, LambdaHandler> = {};
  const lambda = await startLambdaEndpoint(options.ports.lambda, triggers);
  stops.push(lambda.stop);
  const identity = await startIdentity({
    port: options.ports.cognito,
    dataDir: options.dataDir,
    lambdaEndpoint: lambda.url,
    ...(options.confirmationCode === undefined ? {} : { confirmationCode: options.confirmationCode }),
    logFile: join(options.dataDir, 'logs', 'cognito.log'),
  });
  stops.push(identity.child.stop);
  return { pool: identity.pool, triggers };
};

/** The environment the handlers get in AWS, pointed at the twin's parts. */
const handlerEnvironment = (
  ports: TwinPorts,
  dynamodbEndpoint: string,
  pool: IdentityPool,
  dataDir: string,
) => ({
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: pool.endpoint,
  AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${ports.s3}`,
  [ENV.mainTable]: TABLE_NAMES.main,
  [ENV.ledgerTable]: TABLE_NAMES.ledger,
  [ENV.documentsBucket]: BUCKET_NAME,
  [ENV.evidenceBucket]: EVIDENCE_BUCKET_NAME,
  // The digests' signing key pair stays with the data it signs (KMS in AWS).
  [ENV.ledgerSigningKeyFile]: join(resolve(dataDir), 'keys', 'ledger-signing.pem'),
  [ENV.userPoolId]: pool.userPoolId,
  [ENV.userPoolClientId]: pool.clientId,
  [ENV.jwtIssuer]: pool.issuer,
  [ENV.wsManagementEndpoint]: `http://127.0.0.1:${ports.ws}`,
  [ENV.serviceVersion]: process.env.npm_package_version ?? 'local',
  [ENV.cursorSecret]: 'shiftline-local-cursor-secret',
  [ENV.graphqlIntrospection]: 'true',
  [ENV.nppesApiUrl]: `http://127.0.0.1:${ports.nppes}/api/`,
  [ENV.leieDownloadUrl]: `http://127.0.0.1:${ports.nppes}${LEIE_FIXTURE_PATH}`,
  // The primary sources' stubs listen on loopback: allowed in the twin only (never in AWS).
  [ENV.primarySourceLocalTargets]: 'true',
  // SAM.gov stays off, as in AWS, unless a key is given (any value: the stub only wants one).
  [ENV.samApiUrl]: `http://127.0.0.1:${ports.nppes}${SAM_FIXTURE_PATH}`,
  ...(process.env.SHIFTLINE_SAM_API_KEY ? { [ENV.samApiKey]: process.env.SHIFTLINE_SAM_API_KEY } : {}),
  ...webhookEnvironment(ports.sqs),
  POWERTOOLS_SERVICE_NAME: 'shiftline',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  POWERTOOLS_DEV: 'true',
});

/** The HTTP API, each route's function loaded on its first request. */
const startApi = (port: number, pool: IdentityPool) => {
  const verifier = createTokenVerifier({ issuer: pool.issuer, clientId: pool.clientId });
  const httpHandlers = new Map<string, Promise<HttpHandler>>();
  return startHttpGateway({
    port,
    allowOrigin: twinOriginPolicy(),
    accessLog: batchedLines('[http] '),
    // The stack's route throttles, or others (`SHIFTLINE_ROUTE_THROTTLES`: JSON, or `off`).
    routeThrottles:
      process.env.SHIFTLINE_ROUTE_THROTTLES === 'off'
        ? 'off'
        : routeThrottlesFrom(process.env.SHIFTLINE_ROUTE_THROTTLES || undefined),
    verifyToken: (token) => verifier.verify(token, ['id', 'access']),
    handlerFor: (route) => {
      const definition = HTTP_FUNCTIONS[route.fn];
      const cached = httpHandlers.get(route.fn) ?? loadHandler<HttpHandler>(definition);
      httpHandlers.set(route.fn, cached);
      return cached;
    },
  });
};

const startWebSocketApi = async (port: number) =>
  startWsGateway({
    port,
    authorizer: await loadHandler(WS_FUNCTIONS.authorize),
    routes: {
      $connect: await loadHandler(WS_FUNCTIONS.connect),
      $disconnect: await loadHandler(WS_FUNCTIONS.disconnect),
      ...(await wsMessageRoutes()),
    },
  });

/** Each entry of `functions` with its handler loaded. */
const loadAll = <D extends FunctionDefinition, H>(functions: Record<string, D>) =>
  Promise.all(
    Object.entries(functions).map(async ([name, definition]) => ({
      name,
      definition,
      handler: await loadHandler<H>(definition),
    })),
  );

const startStreamConsumers = async (
  dynamodbEndpoint: string,
  streamArn: string | undefined,
  dataDir: string,
) =>
  startStreamPoller({
    dynamodbEndpoint,
    streamArn: requireStream(streamArn),
    consumers: await loadAll<StreamConsumerDefinition, StreamHandler>(STREAM_CONSUMERS),
    dlqDir: mkdirp(join(dataDir, 'dlq')),
    // Lambda polls a shard about four times a second; the twin polls faster so live events feel live.
    pollIntervalMs: 50,
  });

const startSchedules = async (controlPort: number) =>
  startScheduler({
    controlPort,
    functions: await loadAll<ScheduledFunctionDefinition, ScheduledHandler>(SCHEDULED_FUNCTIONS),
  });

export const startTwin = async (options: TwinOptions): Promise<Twin> => {
  const { ports, dataDir } = options;
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const stops: Stops = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const database = await startDatabase(options, stops);
    const { pool, triggers } = await startIdentityService(options, stops);

    const notifier = createBucketNotifier(LOCAL_REGION, (message, error) => console.error(message, error));
    const objectStore = await startObjectStore({
      port: ports.s3,
      dataDir: mkdirp(join(dataDir, 's3')),
      bucket: BUCKET_NAME,
      lockedBuckets: [EVIDENCE_BUCKET_NAME],
      region: LOCAL_REGION,
      ...localCredentials,
      onObjectCreated: notifier.objectCreated,
    });
    stops.push(objectStore.stop);
    const nppes = await startNppesStub(ports.nppes);
    stops.push(nppes.stop);

    // Handlers read their configuration at module load, so the environment is set first.
    const env: Record<string, string> = handlerEnvironment(ports, database.endpoint, pool, dataDir);
    Object.assign(process.env, env);
    if (options.checkWriteScopes)
      checkWriteScopes(TABLE_NAMES.main, reportTo(join(dataDir, WRITE_SCOPE_REFUSALS)));
    for (const [name, definition] of Object.entries(TRIGGER_FUNCTIONS)) {
      triggers[name] = await loadHandler<LambdaHandler>(definition);
    }
    notifier.setTargets(
      await loadAll<BucketEventFunctionDefinition, BucketEventHandler>(BUCKET_EVENT_FUNCTIONS),
    );

    const http = await startApi(ports.api, pool);
    stops.push(http.stop);
    const ws = await startWebSocketApi(ports.ws);
    stops.push(ws.stop);
    const queues = await startWebhookQueues({
      port: ports.sqs,
      region: LOCAL_REGION,
      dlqDir: mkdirp(join(dataDir, 'dlq')),
      load: loadHandler,
    });
    stops.push(queues.stop);
    const poller =
      options.streamConsumers === false
        ? { idle: async () => undefined, stop: async () => undefined }
        : await startStreamConsumers(database.endpoint, database.mainStreamArn, dataDir);
    stops.push(poller.stop);
    const scheduler = await startSchedules(ports.scheduler);
    stops.push(scheduler.stop);

    const urls = {
      api: http.url,
      ws: ws.url,
      docs: `${http.url}/docs`,
      scheduler: `http://127.0.0.1:${ports.scheduler}`,
      dynamodb: database.endpoint,
      cognito: pool.endpoint,
      s3: `http://127.0.0.1:${ports.s3}`,
    };
    writeFileSync(join(dataDir, 'twin.json'), JSON.stringify({ urls, env }, null, 2));
    return { urls, env, streamsIdle: (timeoutMs) => poller.idle(timeoutMs), stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
};

/** WebSocket routes beyond $connect/$disconnect ($default arrives with messaging). */
const wsMessageRoutes = async () => {
  const routes: Record<string, (event: never, context: never) => Promise<unknown>> = {};
  for (const [name, definition] of Object.entries(WS_FUNCTIONS)) {
    if (name === 'default') routes.$default = await loadHandler(definition);
  }
  return routes;
};

const requireStream = (arn: string | undefined) => {
  if (!arn) throw new Error('the Main table has no stream');
  return arn;
};

const mkdirp = (dir: string) => {
  mkdirSync(dir, { recursive: true });
  return dir;
};
