import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { is, Placeholders, render } from '#data/conditions.ts';
import { defineEntity } from '#data/entity.ts';
import { leadingKey, wholeKey } from '#data/entity-keys.ts';
import { TransactionRefused, transact } from '#data/transact.ts';
import { StaleWrite } from '#domain/repository.ts';
import { assigned, readable } from '../support/expressions.ts';

const dynamo = mockClient(DynamoDBDocumentClient);

interface Shift {
  id: string;
  ward: string;
  status: 'open' | 'filled' | 'cancelled';
  startAt: string;
  nurse?: string;
  version: number;
  notes?: string[];
}

const shiftEntity = defineEntity<Shift>()({
  kind: 'Shift',
  primary: { pk: { prefix: 'SHIFT', fields: ['id'] }, sk: { prefix: 'SHIFT', fields: ['id'] } },
  indexes: {
    byWard: {
      index: 'byParent',
      pk: { prefix: 'WARD', fields: ['ward'] },
      sk: { prefix: 'SHIFT', fields: ['status', 'startAt', 'id'] },
    },
    byNurse: {
      index: 'byKind',
      pk: { prefix: 'NURSE', fields: ['nurse'] },
      sk: { fields: ['startAt', 'id'] },
      when: (shift) => shift.status !== 'cancelled',
    },
  },
  formats: { ward: (ward) => ward.toLowerCase() },
  hidden: ['lastActor'],
});

/** The first call's input: the test fails here if there was none. */
const firstInput = <I>(calls: ReadonlyArray<{ args: readonly [{ input: I }, ...unknown[]] }>): I => {
  const input = calls[0]?.args[0].input;
  if (input === undefined) throw new Error('expected a call');
  return input;
};

const SHIFT: Shift = {
  id: 'S1',
  ward: 'ICU',
  status: 'filled',
  startAt: '2027-01-01T07:00Z',
  nurse: 'N1',
  version: 3,
};

beforeAll(() => vi.stubEnv('MAIN_TABLE_NAME', 'Main'));
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => dynamo.reset());

describe('keys as data', () => {
  it('builds whole keys, and leading keys that end at a separator', () => {
    // Prepare
    const template = { prefix: 'CRED', fields: ['status', 'id'] };
    // Act
    const whole = wholeKey(template, { status: 'active', id: 'C1' });
    const leading = leadingKey(template, { status: 'active' });
    const bare = leadingKey({ fields: ['status'] }, {});
    // Assess
    expect(whole).toBe('CRED#active#C1');
    expect(leading).toEqual({ text: 'CRED#active#', exact: false });
    expect(bare).toBeUndefined();
  });

  it('stores the record with its keys and kind, formats fields, and leaves sparse indexes out', () => {
    // Prepare
    const cancelled = { ...SHIFT, status: 'cancelled' as const };
    // Act
    const item = shiftEntity.item(SHIFT, { lastActor: { userId: 'u' } });
    const cancelledItem = shiftEntity.item(cancelled);
    // Assess
    expect(item).toEqual({
      ...SHIFT,
      lastActor: { userId: 'u' },
      kind: 'Shift',
      pk: 'SHIFT#S1',
      sk: 'SHIFT#S1',
      gsi1pk: 'WARD#icu',
      gsi1sk: 'SHIFT#filled#2027-01-01T07:00Z#S1',
      gsi3pk: 'NURSE#N1',
      gsi3sk: '2027-01-01T07:00Z#S1',
    });
    expect(cancelledItem).not.toHaveProperty('gsi3pk');
    expect(shiftEntity.indexKeys(cancelled).remove).toEqual(['gsi3pk', 'gsi3sk']);
  });

  it('gives back the record without keys, kind or hidden bookkeeping', () => {
    // Act
    const record = shiftEntity.record(shiftEntity.item(SHIFT, { lastActor: { userId: 'u' } }));
    // Assess
    expect(record).toEqual(SHIFT);
  });
});

describe('typed queries', () => {
  it('reads a partition by the leading sort-key fields, newest first, filtered and projected', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [shiftEntity.item(SHIFT)], LastEvaluatedKey: { pk: 'x' } });
    // Act
    const page = await shiftEntity.query.byWard(
      { ward: 'ICU', status: 'filled' },
      { limit: 5, descending: true, filter: [is.equal('nurse', 'N1')], attributes: ['id', 'status'] },
    );
    // Assess
    const input = firstInput(dynamo.commandCalls(QueryCommand));
    expect(input.IndexName).toBe('gsi1');
    expect(readable(input, 'KeyConditionExpression')).toBe(
      'gsi1pk = "WARD#icu" AND begins_with(gsi1sk, "SHIFT#filled#")',
    );
    expect(readable(input, 'FilterExpression')).toBe('nurse = "N1"');
    expect(input).toMatchObject({ Limit: 5, ScanIndexForward: false });
    expect(
      input.ProjectionExpression?.split(', ').map((name: string) => input.ExpressionAttributeNames?.[name]),
    ).toEqual(['id', 'status']);
    expect(page).toEqual({ items: [SHIFT], next: { pk: 'x' } });
  });

  it('asks for one item by its whole sort key, and for ranges by partial ones', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [] });
    // Act
    await shiftEntity.query.byWard({ ward: 'icu', status: 'open', startAt: 'T', id: 'S9' });
    await shiftEntity.query.byNurse(
      { nurse: 'N1' },
      { where: { between: [{ startAt: '2027-01-01' }, { startAt: '2027-02-01' }] } },
    );
    await shiftEntity.query.byNurse({ nurse: 'N1' }, { where: { after: { startAt: 'T1', id: 'S1' } } });
    await shiftEntity.query.primary({ id: 'S1' });
    // Assess
    const conditions = dynamo
      .commandCalls(QueryCommand)
      .map((call) => readable(call.args[0].input, 'KeyConditionExpression'));
    expect(conditions).toEqual([
      'gsi1pk = "WARD#icu" AND gsi1sk = "SHIFT#open#T#S9"',
      'gsi3pk = "NURSE#N1" AND gsi3sk BETWEEN "2027-01-01#" AND "2027-02-01#"',
      'gsi3pk = "NURSE#N1" AND gsi3sk > "T1#S1"',
      'pk = "SHIFT#S1" AND sk = "SHIFT#S1"',
    ]);
  });

  it('reads every page when asked for all', async () => {
    // Prepare
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [shiftEntity.item(SHIFT)], LastEvaluatedKey: { pk: 'p' } })
      .resolvesOnce({ Items: [shiftEntity.item({ ...SHIFT, id: 'S2' })] });
    // Act
    const all = await shiftEntity.all.byWard({ ward: 'icu' });
    // Assess
    expect(all.map((shift) => shift.id)).toEqual(['S1', 'S2']);
    expect(dynamo.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({ pk: 'p' });
  });
});

describe('conditional writes', () => {
  it('refuses a taken key with StaleWrite carrying the record as it is', async () => {
    // Prepare
    const existing = shiftEntity.item({ ...SHIFT, status: 'open' });
    dynamo
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'taken', $metadata: {}, Item: marshall(existing) }),
      );
    // Act
    const refusal = await shiftEntity.create(SHIFT).catch((error: unknown) => error);
    // Assess
    expect(refusal).toBeInstanceOf(StaleWrite);
    expect((refusal as StaleWrite<Shift>).current).toEqual({ ...SHIFT, status: 'open' });
    const input = firstInput(dynamo.commandCalls(PutCommand));
    expect(readable(input, 'ConditionExpression')).toBe('attribute_not_exists(pk)');
    expect(input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('updates with its condition, placeholders shared, and answers the record as written', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({ Attributes: shiftEntity.item({ ...SHIFT, version: 4 }) });
    // Act
    const written = await shiftEntity.update(
      { id: 'S1' },
      { set: { status: 'filled', 'document.status': 'uploaded' }, increment: ['version'], remove: ['notes'] },
      [is.oneOf('status', ['open', 'filled']), is.any(is.absent('notes'), is.ofType('notes', 'NULL'))],
    );
    // Assess
    const input = firstInput(dynamo.commandCalls(UpdateCommand));
    expect(readable(input, 'UpdateExpression')).toBe(
      'SET status = "filled", document.status = "uploaded", version = if_not_exists(version, 0) + 1 REMOVE notes',
    );
    expect(readable(input, 'ConditionExpression')).toBe(
      'status IN ("open", "filled") AND (attribute_not_exists(notes) OR attribute_type(notes, "NULL"))',
    );
    expect(assigned(input)).toEqual({ status: 'filled', 'document.status': 'uploaded' });
    expect(written.version).toBe(4);
  });

  it('updates without asking the item back when the result is unused (updateOnly)', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({});
    // Act
    await shiftEntity.updateOnly({ id: 'S1' }, { set: { status: 'filled' } }, [is.present()]);
    // Assess
    const input = firstInput(dynamo.commandCalls(UpdateCommand));
    expect(input.ReturnValues).toBeUndefined();
    expect(input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    expect(readable(input, 'ConditionExpression')).toBe('attribute_exists(pk)');
  });

  it('patches only what differs, moving index keys and dropping the sparse ones', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({});
    // Act
    await shiftEntity.patch(SHIFT, { ...SHIFT, status: 'cancelled', version: 4 }, [is.equal('version', 3)]);
    // Assess
    const input = firstInput(dynamo.commandCalls(UpdateCommand));
    expect(readable(input, 'UpdateExpression')).toBe(
      'SET status = "cancelled", version = 4, gsi1sk = "SHIFT#cancelled#2027-01-01T07:00Z#S1" REMOVE gsi3pk, gsi3sk',
    );
    expect(readable(input, 'ConditionExpression')).toBe('version = 3');
  });
});

describe('transactions', () => {
  const cancelled = (codes: string[], item?: Record<string, unknown>) =>
    new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: codes.map((Code) => ({
        Code,
        ...(Code === 'ConditionalCheckFailed' && item ? { Item: marshall(item) } : {}),
      })),
    });

  it('retries while it loses only to concurrent transactions', async () => {
    // Prepare
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['TransactionConflict', 'None']))
      .resolves({});
    // Act
    await transact([shiftEntity.ops.create(SHIFT), shiftEntity.ops.remove({ id: 'S0' })]);
    // Assess
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('names each item whose condition failed, with the item as it is', async () => {
    // Prepare
    dynamo
      .on(TransactWriteCommand)
      .rejects(cancelled(['None', 'ConditionalCheckFailed'], { pk: 'SLOT', holder: 'A2' }));
    // Act
    const refusal = await transact([
      shiftEntity.ops.create(SHIFT),
      shiftEntity.ops.create({ ...SHIFT, id: 'S2' }),
    ]).catch((error: unknown) => error);
    // Assess
    expect(refusal).toBeInstanceOf(TransactionRefused);
    expect((refusal as TransactionRefused).failures).toEqual([
      { index: 1, current: { pk: 'SLOT', holder: 'A2' } },
    ]);
    expect((refusal as TransactionRefused).failedAt(0)).toBeUndefined();
  });
});

describe('condition clauses', () => {
  it('gives each attribute one placeholder and each value its own, dotted paths included', () => {
    // Prepare
    const placeholders = new Placeholders();
    // Act
    const text = render(
      [is.equal('document.status', 'pending'), is.not(is.holding('status', 'x')), is.sizeBelow('status', 3)],
      placeholders,
    );
    // Assess
    expect(text).toBe('#c0.#c1 = :c0 AND NOT contains(#c1, :c1) AND size(#c1) < :c2');
    expect(placeholders.names).toEqual({ '#c0': 'document', '#c1': 'status' });
    expect(placeholders.values).toEqual({ ':c0': 'pending', ':c1': 'x', ':c2': 3 });
  });
});
