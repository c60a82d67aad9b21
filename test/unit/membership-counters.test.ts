import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TRACKED_UNREAD } from '#domain/messaging/rules.ts';
import { assigned, readable } from '../support/expressions.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
let countMessageFor: typeof import('../../shared/data/membership-counters.ts')['countMessageFor'];
let countMessagesFor: typeof import('../../shared/data/membership-counters.ts')['countMessagesFor'];

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
  ({ countMessageFor, countMessagesFor } = await import('../../shared/data/membership-counters.ts'));
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

describe("counting a batch's run of messages for a member", () => {
  const run = [
    { id: '01JQ0000000000000000000501', senderId: 'alice', sentAt: '2026-03-02T09:00:06.000Z' },
    { id: '01JQ0000000000000000000502', senderId: 'alice', sentAt: '2026-03-02T09:00:07.000Z' },
    { id: '01JQ0000000000000000000503', senderId: 'alice', sentAt: '2026-03-02T09:00:08.000Z' },
  ];
  const known = { unreadIds: ['01JQ0000000000000000000400'], lastMessageAt: '2026-03-02T09:00:00.000Z' };

  it('is one write for the whole run, applied only while the state it was planned on holds', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({});
    // Act
    const left = await countMessagesFor(bob, run, actor, known);
    // Assess
    expect(updates()).toHaveLength(1);
    expect(readableUpdate(0)).toContain(
      `ADD unreadIds <<${run.map((m) => JSON.stringify(m.id)).join(', ')}>>`,
    );
    expect(updates()[0]).toMatchObject({ lastMessageAt: '2026-03-02T09:00:08.000Z' });
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    const condition = (input && readable(input, 'ConditionExpression')) ?? '';
    expect(condition).toContain('size(unreadIds) = 1');
    expect(condition).toContain('attribute_not_exists(readUpTo)');
    expect(left.unreadIds).toHaveLength(4);
  });

  it('plans again on the item a refusal returns: a full set costs one more write, activity only', async () => {
    // Prepare
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(refusedOn({ lastMessageAt: '2026-03-02T09:00:00.000Z', unreadIds: fullUnread }))
      .resolves({});
    // Act
    await countMessagesFor(bob, run, actor, known);
    // Assess
    expect(updates()).toHaveLength(2);
    expect(readableUpdate(1)).not.toContain('unreadIds');
    expect(updates()[1]).toMatchObject({ lastMessageAt: '2026-03-02T09:00:08.000Z' });
  });

  it('writes nothing for a member whose item is gone', async () => {
    // Prepare: refused with no item (the member left).
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'refused', $metadata: {} }));
    // Act
    await countMessagesFor(bob, run, actor, known);
    // Assess
    expect(updates()).toHaveLength(1);
  });

  it('counts message by message when the state keeps moving under the plan', async () => {
    // Prepare: every planned write is refused on a state that changed again.
    let size = 1;
    dynamo.on(UpdateCommand).callsFake((input) => {
      const condition = readable(input, 'ConditionExpression') ?? '';
      if (condition.includes('size(unreadIds) =')) {
        size += 1;
        throw refusedOn({
          lastMessageAt: '2026-03-02T09:00:00.000Z',
          unreadIds: new Set(Array.from({ length: size }, (_, n) => `01JQ00000000000000000003${n}0`)),
        });
      }
      return {};
    });
    dynamo.on(GetCommand).resolves({ Item: { pk: 'CONV#C1', sk: 'MEMBER#bob', unreadIds: new Set() } });
    // Act
    await countMessagesFor(bob, run, actor, known);
    // Assess: three planned attempts, then one write per message (each activity and id together).
    const planned = updates().slice(0, 3);
    expect(planned).toHaveLength(3);
    const single = dynamo.commandCalls(UpdateCommand).slice(3);
    expect(single).toHaveLength(run.length);
    for (const [index, call] of single.entries())
      expect(readable(call.args[0].input, 'UpdateExpression')).toContain(
        `ADD unreadIds <<"${run[index]?.id}">>`,
      );
  });
});
