import { BatchWriteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentClient, dynamoClient } from '#data/client.ts';
import * as accessEvents from '#data/entities/access-events.ts';
import * as appointments from '#data/entities/appointments.ts';
import * as connections from '#data/entities/connections.ts';
import * as contracts from '#data/entities/contracts.ts';
import * as credentialing from '#data/entities/credentialing.ts';
import * as credentials from '#data/entities/credentials.ts';
import * as identity from '#data/entities/identity.ts';
import * as messaging from '#data/entities/messaging.ts';
import * as staff from '#data/entities/staff.ts';
import * as sync from '#data/entities/sync.ts';
import * as webhooks from '#data/entities/webhooks.ts';
import type { KeyTemplate } from '#data/entity-keys.ts';
import { IDEMPOTENCY_PARTITION } from '#data/keys.ts';
import { partitionAllowed, partitionPatterns, WRITE_SCOPES, type WriteScope } from '#data/write-scopes.ts';
import type { FunctionDefinition } from '#shared/functions.ts';
import { asFunction, checkWriteScopes } from '../../local/write-scopes.ts';

const ENTITY_MODULES = [
  accessEvents,
  appointments,
  connections,
  contracts,
  credentialing,
  credentials,
  identity,
  messaging,
  staff,
  sync,
  webhooks,
];

/** Every entity of Main, by the name it is exported as. */
const ENTITIES = ENTITY_MODULES.flatMap((module) =>
  Object.entries(module as Record<string, unknown>).flatMap(([name, value]) => {
    const declaration = (value as { declaration?: { primary?: { pk: KeyTemplate } } }).declaration;
    return declaration?.primary ? [{ name, pk: declaration.primary.pk }] : [];
  }),
);

const EVERY_PATTERN = partitionPatterns(Object.keys(WRITE_SCOPES) as WriteScope[]);

describe('write scopes cover every item of Main', () => {
  it.each(ENTITIES)('$name is in some write scope', ({ pk }) => {
    // Prepare
    const pattern = pk.fields.length > 0 ? `${pk.prefix}#*` : pk.prefix;
    // Assess
    expect(EVERY_PATTERN).toContain(pattern);
  });

  it('covers the idempotency records too', () => {
    expect(EVERY_PATTERN).toContain(IDEMPOTENCY_PARTITION);
  });

  it('matches partitions as IAM StringLike does, never a longer prefix', () => {
    expect(partitionAllowed('CONN#abc', ['CONN#*'])).toBe(true);
    expect(partitionAllowed('CONNDESK#abc', ['CONN#*'])).toBe(false);
    expect(partitionAllowed('LEIE', ['LEIE', 'LEIE#*'])).toBe(true);
    expect(partitionAllowed('IDEMPX', ['IDEMP'])).toBe(false);
  });
});

/** A function that may write connections only. */
const CONNECT: FunctionDefinition = {
  entry: 'functions/ws/connect.ts',
  description: 'probe',
  access: ['main:write'],
  mainWrites: ['connections'],
};
const READER: FunctionDefinition = {
  entry: 'functions/ws/authorize.ts',
  description: 'probe',
  access: ['main:read'],
};
const TABLE = 'write-scopes-probe';

const put = (pk: string) => documentClient.send(new PutCommand({ TableName: TABLE, Item: { pk, sk: 'x' } }));
const run = (definition: FunctionDefinition, work: () => Promise<unknown>) => asFunction(definition, work)();

describe('the twin refuses writes outside a function’s scopes, as IAM would', () => {
  beforeAll(() => {
    // Prepare: every call answers at once instead of going out (after the check ran).
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'probe');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'probe');
    checkWriteScopes(TABLE);
    dynamoClient.middlewareStack.add(
      () => async () => ({ output: { $metadata: {} } as never, response: {} }),
      {
        step: 'build',
        priority: 'high',
        name: 'answerAtOnce',
      },
    );
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('lets a function write its own partitions', async () => {
    await expect(run(CONNECT, () => put('CONN#abc'))).resolves.toBeDefined();
  });

  it('refuses a put, an update or a transaction item of another partition', async () => {
    const update = new UpdateCommand({
      TableName: TABLE,
      Key: { pk: 'STAFF#1', sk: 'STAFF#1' },
      UpdateExpression: 'SET a = :a',
      ExpressionAttributeValues: { ':a': 1 },
    });
    const transaction = new TransactWriteCommand({
      TransactItems: [
        {
          ConditionCheck: {
            TableName: TABLE,
            Key: { pk: 'STAFF#1', sk: 'x' },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        { Put: { TableName: TABLE, Item: { pk: 'CONN#1', sk: 'x' } } },
        { Delete: { TableName: TABLE, Key: { pk: 'CONV#1', sk: 'x' } } },
      ],
    });
    await expect(run(CONNECT, () => put('CONNDESK#abc'))).rejects.toThrow(
      /may not PutItem partition CONNDESK#abc/,
    );
    await expect(run(CONNECT, () => documentClient.send(update))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    await expect(run(CONNECT, () => documentClient.send(transaction))).rejects.toThrow(/partition CONV#1/);
  });

  it('refuses a batch with one item of another partition, and every write of a reader', async () => {
    const batch = new BatchWriteCommand({
      RequestItems: {
        [TABLE]: [
          { PutRequest: { Item: { pk: 'CONN#1', sk: 'x' } } },
          { DeleteRequest: { Key: { pk: 'LEIE', sk: 'ACTIVE' } } },
        ],
      },
    });
    await expect(run(CONNECT, () => documentClient.send(batch))).rejects.toThrow(/partition LEIE/);
    await expect(run(READER, () => put('CONN#abc'))).rejects.toThrow(/allow nothing/);
  });

  it('leaves other tables and the twin’s own writes alone', async () => {
    await expect(
      run(CONNECT, () =>
        documentClient.send(new PutCommand({ TableName: 'ledger', Item: { pk: 'ENTITY#1', sk: '1' } })),
      ),
    ).resolves.toBeDefined();
    await expect(put('STAFF#1')).resolves.toBeDefined();
  });
});
