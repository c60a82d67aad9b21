import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { assigned, partitionOf, readable } from '../support/expressions.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
let liveConnectionsOf: typeof import('../../shared/data/connections.ts')['liveConnectionsOf'];

const LATER = Math.floor(Date.now() / 1000) + 3600;

const connection = (connectionId: string, userId: string) => ({
  connectionId,
  userId,
  roles: ['staff'],
  ttl: LATER,
});

/** Presence items as stored (`LIVE#<sub>`), by user; a user missing here has none. */
let presence: Record<string, Record<string, unknown>> = {};
/** `Connection` items, by user, as the gsi1 Query on `USER#<sub>` finds them. */
let connectionItems: Record<string, ReturnType<typeof connection>[]> = {};

const presenceItem = (userId: string, live: ReturnType<typeof connection>[], complete: boolean) => ({
  pk: `LIVE#${userId}`,
  sk: `LIVE#${userId}`,
  kind: 'Presence',
  userId,
  ...(complete ? { complete: true } : {}),
  ...Object.fromEntries(live.map((item) => [`live:${item.connectionId}`, item])),
});

beforeAll(async () => {
  vi.stubEnv('MAIN_TABLE_NAME', 'Main');
  ({ liveConnectionsOf } = await import('../../shared/data/connections.ts'));
});
afterAll(() => vi.unstubAllEnvs());

beforeEach(() => {
  dynamo.reset();
  presence = {};
  connectionItems = {};
  dynamo.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => ({
    Responses: {
      Main: (input.RequestItems?.Main?.Keys ?? []).flatMap(({ pk }) => {
        const item = presence[String(pk).replace('LIVE#', '')];
        return item ? [item] : [];
      }),
    },
  }));
  dynamo.on(QueryCommand).callsFake((input: QueryCommandInput) => ({
    Items: (connectionItems[String(partitionOf(input)).replace('USER#', '')] ?? []).map((item) => ({
      kind: 'Connection',
      connectedAt: '2026-03-02T09:00:00.000Z',
      ...item,
    })),
  }));
  dynamo.on(UpdateCommand).resolves({});
});

const fallbackQueries = () =>
  dynamo.commandCalls(QueryCommand).map((call) => partitionOf(call.args[0].input));
const presenceWrites = () => dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);

describe('presence items, read without a migration', () => {
  it('reads complete presence items with one BatchGetItem and nothing else', async () => {
    // Prepare
    presence = {
      alice: presenceItem('alice', [connection('alice-1', 'alice')], true),
      bob: presenceItem('bob', [], true),
    };
    // Act
    const found = await liveConnectionsOf(['alice', 'bob']);
    // Assess
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(fallbackQueries()).toEqual([]);
    expect(presenceWrites()).toEqual([]);
    expect(found.get('alice')?.map((live) => live.connectionId)).toEqual(['alice-1']);
    expect(found.get('bob')).toEqual([]);
  });

  it('finds connections that exist only as Connection items and rebuilds the presence item from them', async () => {
    // Prepare: bob connected before presence items existed.
    presence = { alice: presenceItem('alice', [], true) };
    connectionItems = { bob: [connection('bob-1', 'bob'), connection('bob-2', 'bob')] };
    // Act
    const found = await liveConnectionsOf(['alice', 'bob']);
    // Assess
    expect(
      found
        .get('bob')
        ?.map((live) => live.connectionId)
        .sort(),
    ).toEqual(['bob-1', 'bob-2']);
    expect(fallbackQueries()).toEqual(['USER#bob']);
    const [write] = presenceWrites();
    expect(presenceWrites()).toHaveLength(1);
    expect(write?.Key).toEqual({ pk: 'LIVE#bob', sk: 'LIVE#bob' });
    expect(write && readable(write, 'ConditionExpression')).toBe('attribute_not_exists(complete)');
    expect(write && assigned(write)).toEqual({
      kind: 'Presence',
      userId: 'bob',
      complete: true,
      'live:bob-1': connection('bob-1', 'bob'),
      'live:bob-2': connection('bob-2', 'bob'),
    });
  });

  it('writes an empty, complete presence item for a user with no connection, so the next send reads only it', async () => {
    // Prepare: carol has never connected (or not since the deploy).
    // Act
    const first = await liveConnectionsOf(['carol']);
    const [write] = presenceWrites();
    presence = { carol: presenceItem('carol', [], true) };
    const second = await liveConnectionsOf(['carol']);
    // Assess
    expect(first.get('carol')).toEqual([]);
    expect(second.get('carol')).toEqual([]);
    expect(fallbackQueries()).toEqual(['USER#carol']);
    expect(write && readable(write, 'ConditionExpression')).toBe('attribute_not_exists(complete)');
    expect(write && assigned(write)).toEqual({ kind: 'Presence', userId: 'carol', complete: true });
  });

  it('completes an item a connect created after the deploy with the tabs opened before it', async () => {
    // Prepare: dan's old tab has only a Connection item; his new tab is in both.
    presence = { dan: presenceItem('dan', [connection('dan-new', 'dan')], false) };
    connectionItems = { dan: [connection('dan-old', 'dan')] };
    // Act
    const found = await liveConnectionsOf(['dan']);
    // Assess
    expect(
      found
        .get('dan')
        ?.map((live) => live.connectionId)
        .sort(),
    ).toEqual(['dan-new', 'dan-old']);
    expect(presenceWrites().map((write) => assigned(write))).toEqual([
      { kind: 'Presence', userId: 'dan', complete: true, 'live:dan-old': connection('dan-old', 'dan') },
    ]);
  });

  it('still answers the connections it found when another reader completed the item first', async () => {
    // Prepare
    connectionItems = { erin: [connection('erin-1', 'erin')] };
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'refused', $metadata: {} }));
    // Act
    const found = await liveConnectionsOf(['erin']);
    // Assess
    expect(found.get('erin')?.map((live) => live.connectionId)).toEqual(['erin-1']);
  });
});
