import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TRACKED_UNREAD } from '#domain/messaging/rules.ts';
import { assigned, readable } from '../support/expressions.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
let countMessageFor: typeof import('../../shared/data/membership-counters.ts')['countMessageFor'];

const bob = { conversationId: 'C1', userId: 'bob' };
const message = { id: '01JQ0000000000000000000500', sentAt: '2026-03-02T09:00:05.000Z' };
const actor = { userId: 'system', roles: ['system'], requestId: 'event-1', action: 'counters' };

/** The membership as DynamoDB returns it with a refusal (ReturnValuesOnConditionCheckFailure). */
const refusedOn = (membership: Record<string, unknown>) =>
  new ConditionalCheckFailedException({
    message: 'refused',
    $metadata: {},
    Item: marshall({ pk: 'CONV#C1', sk: 'MEMBER#bob', kind: 'ConversationMember', ...membership }),
  });

const fullUnread = new Set(
  Array.from({ length: MAX_TRACKED_UNREAD }, (_, index) => `01JQ${String(index).padStart(22, '0')}`),
);

beforeAll(async () => {
  vi.stubEnv('MAIN_TABLE_NAME', 'Main');
  ({ countMessageFor } = await import('../../shared/data/membership-counters.ts'));
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => dynamo.reset());

const readableUpdate = (index: number) => {
  const input = dynamo.commandCalls(UpdateCommand)[index]?.args[0].input;
  return (input && readable(input, 'UpdateExpression')) ?? '';
};

const updates = () => dynamo.commandCalls(UpdateCommand).map((call) => assigned(call.args[0].input));

describe('counting a message for a recipient', () => {
  it('is one write when activity and unread both apply', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({});
    // Act
    await countMessageFor(bob, message, actor);
    // Assess
    expect(updates()).toHaveLength(1);
  });

  it('moves only the activity, in one more write, when the unread set is full', async () => {
    // Prepare: the first write is refused on a full set; the activity is older than the message.
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(refusedOn({ lastMessageAt: '2026-03-02T09:00:00.000Z', unreadIds: fullUnread }))
      .resolves({});
    // Act
    await countMessageFor(bob, message, actor);
    // Assess: no third write that the full set would refuse anyway.
    expect(updates()).toHaveLength(2);
    expect(updates()[1]).toMatchObject({ lastMessageAt: message.sentAt });
  });

  it('adds only the unread id when the activity is already past the message (out of order)', async () => {
    // Prepare
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(refusedOn({ lastMessageAt: '2026-03-02T09:00:09.000Z', unreadIds: new Set(['01JQX']) }))
      .resolves({});
    // Act
    await countMessageFor(bob, message, actor);
    // Assess
    expect(updates()).toHaveLength(2);
    expect(updates()[1]).not.toHaveProperty('lastMessageAt');
    expect(readableUpdate(1)).toContain(`ADD unreadIds <<"${message.id}">>`);
  });

  it('writes nothing more when the recipient has read past it and the activity is newer', async () => {
    // Prepare
    dynamo.on(UpdateCommand).rejectsOnce(
      refusedOn({
        lastMessageAt: '2026-03-02T09:00:09.000Z',
        readUpTo: '01JQ0000000000000000000900',
        unreadIds: new Set(['01JQX']),
      }),
    );
    // Act
    await countMessageFor(bob, message, actor);
    // Assess
    expect(updates()).toHaveLength(1);
  });
});
