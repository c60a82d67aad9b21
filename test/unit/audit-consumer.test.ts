/** The audit stream consumer against a mocked ledger table: entries, replays, partial failures, no PHI in logs. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureLogs, lambdaContext } from './support/lambda.ts';

type Handler = typeof import('../../functions/streams/audit.ts')['handler'];

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: Handler;
let logs: ReturnType<typeof captureLogs>;
let stored: Record<string, unknown>[];

beforeAll(async () => {
  vi.stubEnv('LEDGER_TABLE_NAME', 'Ledger');
  ({ handler } = await import('../../functions/streams/audit.ts'));
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  stored = [];
  dynamo.reset();
  dynamo
    .on(QueryCommand)
    .callsFake((input: { ExpressionAttributeValues: Record<string, string>; Limit: number }) => ({
      Items: stored
        .filter((item) => item.pk === input.ExpressionAttributeValues[':pk'])
        .sort((a, b) => String(b.sk).localeCompare(String(a.sk)))
        .slice(0, input.Limit),
    }));
  dynamo.on(PutCommand).callsFake((input: { Item: Record<string, unknown> }) => {
    if (stored.some((item) => item.pk === input.Item.pk && item.sk === input.Item.sk)) {
      throw new ConditionalCheckFailedException({ message: 'taken', $metadata: {} });
    }
    stored.push(input.Item);
    return {};
  });
  logs = captureLogs();
});
afterEach(() => logs.restore());

let sequence = 0;
const record = (newImage: Record<string, unknown>, oldImage?: Record<string, unknown>): DynamoDBRecord => {
  sequence += 1;
  const image = (value: Record<string, unknown>) =>
    marshall(value, { removeUndefinedValues: true }) as Record<string, AttributeValue>;
  return {
    eventID: `event-${sequence}`,
    eventName: oldImage ? 'MODIFY' : 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: image({ pk: newImage.pk, sk: newImage.sk }),
      NewImage: image(newImage),
      ...(oldImage ? { OldImage: image(oldImage) } : {}),
      SequenceNumber: String(1000 + sequence),
      ApproximateCreationDateTime: 1_772_442_000,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
};

const profile = (version: number, phone: string) => ({
  pk: 'STAFF#p1',
  sk: 'STAFF#p1',
  kind: 'StaffProfile',
  id: 'p1',
  name: 'Nia Nurse',
  phone,
  dateOfBirth: '1990-04-01',
  version,
  updatedAt: `2026-03-0${version}T10:00:00.000Z`,
  lastActor: {
    userId: 'u-admin',
    roles: ['admin'],
    requestId: `req-${version}`,
    action: version === 1 ? 'create' : 'update',
  },
});

const event = (...records: DynamoDBRecord[]) => ({ Records: records });

describe('audit consumer', () => {
  it('appends one entry per audited change, with actor, request id and redacted PHI, and skips the rest', async () => {
    const created = record(profile(1, '+15550001'));
    const updated = record(profile(2, '+15550002'), profile(1, '+15550001'));
    const connection = record({ pk: 'CONN#1', sk: 'CONN#1', kind: 'Connection', userId: 'u' });
    const counters = record({
      pk: 'CONV#k',
      sk: 'MEMBER#u',
      kind: 'ConversationMember',
      conversationId: 'k',
      lastActor: { userId: 'system', roles: ['system'], requestId: 'r', action: 'counters' },
    });

    const response = await handler(event(created, connection, updated, counters), lambdaContext('audit'));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(stored.map((item) => [item.pk, item.sk, item.action, item.requestId])).toEqual([
      ['ENTITY#StaffProfile#p1', '0000000001', 'create', 'req-1'],
      ['ENTITY#StaffProfile#p1', '0000000002', 'update', 'req-2'],
    ]);
    expect(stored[1]).toMatchObject({
      actor: { userId: 'u-admin', roles: ['admin'] },
      actorKey: 'ACTOR#u-admin',
      typeDayKey: 'TYPEDAY#StaffProfile#2026-03-02',
      changes: { phone: { from: '[redacted]', to: '[redacted]' } },
      prevHash: stored[0]?.hash,
    });
    const everything = JSON.stringify({ stored, logs: logs.text() });
    expect(everything).not.toMatch(/\+1555|1990-04-01|Nia Nurse/);
  });

  it('writes nothing new when the same batch is delivered again', async () => {
    const batch = event(
      record(profile(1, '+15550001')),
      record(profile(2, '+15550002'), profile(1, '+15550001')),
    );
    await handler(batch, lambdaContext('audit'));
    const puts = dynamo.commandCalls(PutCommand).length;

    await handler(batch, lambdaContext('audit'));

    expect(stored).toHaveLength(2);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(puts);
  });

  it("appends a chain's next change with its Put alone: the chain's head is carried, not queried", async () => {
    // Prepare
    const item = (version: number) => ({
      ...profile(version, '+15550009'),
      pk: 'STAFF#p3',
      sk: 'STAFF#p3',
      id: 'p3',
    });
    await handler(event(record(item(1))), lambdaContext('audit'));
    // Act
    await handler(event(record(item(2), item(1)), record(item(3), item(2))), lambdaContext('audit'));
    // Assess
    expect(stored.map((entry) => entry.sk)).toEqual(['0000000001', '0000000002', '0000000003']);
    expect(stored[2]?.prevHash).toBe(stored[1]?.hash);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(1);
  });

  it('reports the failing record and the later ones of its chain, so they are retried in order', async () => {
    const first = record(profile(1, '+15550001'));
    const second = record(profile(2, '+15550002'), profile(1, '+15550001'));
    const other = record({ ...profile(1, '+15550003'), pk: 'STAFF#p2', sk: 'STAFF#p2', id: 'p2' });
    dynamo
      .on(PutCommand, { Item: { sk: '0000000001', pk: 'ENTITY#StaffProfile#p1' } })
      .rejectsOnce(new Error('throttled'));

    const response = await handler(event(first, second, other), lambdaContext('audit'));

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([
      first.dynamodb?.SequenceNumber,
      second.dynamodb?.SequenceNumber,
    ]);
    expect(stored.map((item) => item.pk)).toEqual(['ENTITY#StaffProfile#p2']);
  });
});
