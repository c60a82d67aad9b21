/**
 * The local twin: every part of the AWS deployment on one machine, running the same handler
 * modules, table definitions, route table and token verification. `npm start` supervises it
 * (local/start.ts); the e2e harness starts one on free ports with in-memory data.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AUDIT_LEDGER_TABLE, MAIN_TABLE } from '#data/tables.ts';
import { ENV } from '#runtime/config.ts';
import { createTokenVerifier } from '#runtime/token-verifier.ts';
import {
  type FunctionDefinition,
  HTTP_FUNCTIONS,
  SCHEDULED_FUNCTIONS,
  STREAM_CONSUMERS,
  TRIGGER_FUNCTIONS,
  WS_FUNCTIONS,
} from '#shared/functions.ts';
import type { RunningChild } from './child-process.ts';
import { startDynamoDbLocal } from './dynamodb.ts';
import { freePortList } from './free-port.ts';
import { type HttpHandler, startHttpGateway } from './http-gateway.ts';
import { startIdentity } from './identity.ts';
import { type LambdaHandler, startLambdaEndpoint } from './lambda-endpoint.ts';
import { LOCAL_REGION, localCredentials } from './local-aws.ts';
import { startObjectStore } from './object-store.ts';
import { startScheduler } from './scheduler.ts';
import { startStreamPoller } from './stream-poller.ts';
import { ensureTable } from './tables.ts';
import { startWsGateway } from './ws-gateway.ts';

const ROOT = resolve(import.meta.dirname, '..');

export interface TwinOptions {
  dataDir: string;
  /** Keep DynamoDB in memory (tests); otherwise it persists under dataDir. */
  inMemory: boolean;
  ports: TwinPorts;
  /** The fixed sign-up confirmation code (twin only). */
  confirmationCode: string;
}

export interface TwinPorts {
  api: number;
  ws: number;
  dynamodb: number;
  cognito: number;
  s3: number;
  lambda: number;
  scheduler: number;
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
  streamsIdle: () => Promise<void>;
  stop: () => Promise<void>;
}

export const TABLE_NAMES = { main: 'shiftline-main', ledger: 'shiftline-audit-ledger' } as const;
export const BUCKET_NAME = 'shiftline-documents';

export const defaultPorts = (): TwinPorts => ({
  api: portFromEnv('SHIFTLINE_API_PORT', 3000),
  ws: portFromEnv('SHIFTLINE_WS_PORT', 3001),
  scheduler: portFromEnv('SHIFTLINE_SCHEDULER_PORT', 3002),
  dynamodb: portFromEnv('SHIFTLINE_DYNAMODB_PORT', 8000),
  cognito: portFromEnv('SHIFTLINE_COGNITO_PORT', 9229),
  s3: portFromEnv('SHIFTLINE_S3_PORT', 4569),
  lambda: portFromEnv('SHIFTLINE_LAMBDA_PORT', 9001),
});

export const freePorts = async (): Promise<TwinPorts> => {
  const [api = 0, ws = 0, scheduler = 0, dynamodb = 0, cognito = 0, s3 = 0, lambda = 0] =
    await freePortList(7);
  return { api, ws, scheduler, dynamodb, cognito, s3, lambda };
};

const portFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0 || value > 65535)
    throw new Error(`${name} must be a port number`);
  return value;
};

/** Imports a function's entry module from the sources (Node 24 strips the types). */
const loadHandler = async <T>(definition: FunctionDefinition): Promise<T> => {
  const module = (await import(pathToFileURL(join(ROOT, definition.entry)).href)) as { handler?: T };
  if (!module.handler) throw new Error(`${definition.entry} exports no handler`);
  return module.handler;
};

export const startTwin = async (options: TwinOptions): Promise<Twin> => {
  const { ports, dataDir } = options;
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const children: RunningChild[] = [];
    const dynamodb = await startDynamoDbLocal({
      port: ports.dynamodb,
      dataDir: options.inMemory ? undefined : mkdirp(join(dataDir, 'dynamodb')),
      logFile: join(dataDir, 'logs', 'dynamodb.log'),
    });
    children.push(dynamodb);
    stops.push(dynamodb.stop);
    const dynamodbEndpoint = `http://127.0.0.1:${ports.dynamodb}`;
    const client = new DynamoDBClient({
      endpoint: dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: localCredentials,
    });
    const main = await ensureTable(client, MAIN_TABLE, TABLE_NAMES.main);
    await ensureTable(client, AUDIT_LEDGER_TABLE, TABLE_NAMES.ledger);

    const triggers: Record<string, LambdaHandler> = {};
    const lambda = await startLambdaEndpoint(ports.lambda, triggers);
    stops.push(lambda.stop);
    const identity = await startIdentity({
      port: ports.cognito,
      dataDir,
      lambdaEndpoint: lambda.url,
      confirmationCode: options.confirmationCode,
      logFile: join(dataDir, 'logs', 'cognito.log'),
    });
    stops.push(identity.child.stop);

    const objectStore = await startObjectStore({
      port: ports.s3,
      dataDir: mkdirp(join(dataDir, 's3')),
      bucket: BUCKET_NAME,
      region: LOCAL_REGION,
      ...localCredentials,
    });
    stops.push(objectStore.stop);

    // Handlers read their configuration at module load, so the environment is set first.
    const env: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: identity.pool.endpoint,
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${ports.s3}`,
      [ENV.mainTable]: TABLE_NAMES.main,
      [ENV.ledgerTable]: TABLE_NAMES.ledger,
      [ENV.documentsBucket]: BUCKET_NAME,
      [ENV.userPoolId]: identity.pool.userPoolId,
      [ENV.userPoolClientId]: identity.pool.clientId,
      [ENV.jwtIssuer]: identity.pool.issuer,
      [ENV.wsManagementEndpoint]: `http://127.0.0.1:${ports.ws}`,
      [ENV.serviceVersion]: process.env.npm_package_version ?? 'local',
      [ENV.cursorSecret]: 'shiftline-local-cursor-secret',
      POWERTOOLS_SERVICE_NAME: 'shiftline',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_DEV: 'true',
    };
    Object.assign(process.env, env);

    for (const [name, definition] of Object.entries(TRIGGER_FUNCTIONS)) {
      triggers[name] = await loadHandler<LambdaHandler>(definition);
    }

    const verifier = createTokenVerifier({ issuer: identity.pool.issuer, clientId: identity.pool.clientId });
    const httpHandlers = new Map<string, Promise<HttpHandler>>();
    const http = await startHttpGateway({
      port: ports.api,
      verifyToken: (token) => verifier.verify(token, ['id', 'access']),
      handlerFor: (route) => {
        const definition = HTTP_FUNCTIONS[route.fn];
        const cached = httpHandlers.get(route.fn) ?? loadHandler<HttpHandler>(definition);
        httpHandlers.set(route.fn, cached);
        return cached;
      },
    });
    stops.push(http.stop);

    const ws = await startWsGateway({
      port: ports.ws,
      authorizer: await loadHandler(WS_FUNCTIONS.authorize),
      routes: {
        $connect: await loadHandler(WS_FUNCTIONS.connect),
        $disconnect: await loadHandler(WS_FUNCTIONS.disconnect),
        ...(await wsMessageRoutes()),
      },
    });
    stops.push(ws.stop);

    const poller = await startStreamPoller({
      dynamodbEndpoint,
      streamArn: requireStream(main.streamArn),
      consumers: await Promise.all(
        Object.entries(STREAM_CONSUMERS).map(async ([name, definition]) => ({
          name,
          definition,
          handler: await loadHandler(definition),
        })),
      ),
      dlqDir: mkdirp(join(dataDir, 'dlq')),
      // Lambda polls a shard about four times a second; the twin polls faster so live events feel live.
      pollIntervalMs: 50,
    });
    stops.push(poller.stop);

    const scheduler = await startScheduler({
      controlPort: ports.scheduler,
      functions: await Promise.all(
        Object.entries(SCHEDULED_FUNCTIONS).map(async ([name, definition]) => ({
          name,
          definition,
          handler: await loadHandler(definition),
        })),
      ),
    });
    stops.push(scheduler.stop);

    const urls = {
      api: http.url,
      ws: ws.url,
      docs: `${http.url}/docs`,
      scheduler: `http://127.0.0.1:${ports.scheduler}`,
      dynamodb: dynamodbEndpoint,
      cognito: identity.pool.endpoint,
      s3: `http://127.0.0.1:${ports.s3}`,
    };
    writeFileSync(join(dataDir, 'twin.json'), JSON.stringify({ urls, env }, null, 2));
    return { urls, env, streamsIdle: () => poller.idle(), stop: stopAll };
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
