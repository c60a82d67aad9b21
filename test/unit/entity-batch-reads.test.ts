import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineEntity } from '#data/entity.ts';

const dynamo = mockClient(DynamoDBDocumentClient);

interface Shift {
  id: string;
  ward: string;
}

const shiftEntity = defineEntity<Shift>()({
  kind: 'Shift',
  primary: { pk: { prefix: 'SHIFT', fields: ['id'] }, sk: { prefix: 'SHIFT', fields: ['id'] } },
});

type Key = { pk: string; sk: string };
const keysOf = (call: { args: readonly [{ input: unknown }, ...unknown[]] }) =>
  (call.args[0].input as { RequestItems: { Main: { Keys: Key[]; ConsistentRead?: boolean } } }).RequestItems
    .Main;
const stored = (key: Key) => ({ ...key, kind: 'Shift', id: key.pk.slice('SHIFT#'.length), ward: 'ICU' });

beforeAll(() => vi.stubEnv('MAIN_TABLE_NAME', 'Main'));
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => dynamo.reset());

describe('batch reads', () => {
  it('reads at most 100 keys a call, consistently when asked', async () => {
    // Prepare
    dynamo.on(BatchGetCommand).callsFake((input: { RequestItems: { Main: { Keys: Key[] } } }) => ({
      Responses: { Main: input.RequestItems.Main.Keys.map(stored) },
    }));
    const ids = Array.from({ length: 250 }, (_, n) => ({ id: `S${n}` }));

    // Act
    const found = await shiftEntity.getMany(ids, { consistent: true });

    // Assess
    const calls = dynamo.commandCalls(BatchGetCommand);
    expect(calls.map((call) => keysOf(call).Keys.length)).toEqual([100, 100, 50]);
    expect(calls.every((call) => keysOf(call).ConsistentRead === true)).toBe(true);
    expect(found).toHaveLength(250);
    expect(found[0]).toEqual({ id: 'S0', ward: 'ICU' });
  });

  it('asks again for the keys DynamoDB left unprocessed, and gives up when they never come', async () => {
    // Prepare: the first answer leaves S2 unprocessed.
    const unprocessed = { pk: 'SHIFT#S2', sk: 'SHIFT#S2' };
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { Main: [stored({ pk: 'SHIFT#S1', sk: 'SHIFT#S1' })] },
        UnprocessedKeys: { Main: { Keys: [unprocessed] } },
      })
      .resolvesOnce({ Responses: { Main: [stored(unprocessed)] } });

    // Act
    const found = await shiftEntity.getMany([{ id: 'S1' }, { id: 'S2' }]);
    dynamo.reset();
    dynamo.on(BatchGetCommand).resolves({ UnprocessedKeys: { Main: { Keys: [unprocessed] } } });
    const refusal = await shiftEntity.getMany([{ id: 'S2' }]).catch((error: unknown) => error);

    // Assess
    expect(found.map((shift) => shift.id).sort()).toEqual(['S1', 'S2']);
    expect(refusal).toBeInstanceOf(Error);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(6);
  });
});
