/**
 * Appointments in Main, and the schedule slot items that keep a staff member from being booked
 * twice (shared/domain/appointments/schedule-slots.ts). A booking or a move is one transaction:
 * the appointment plus each slot claimed (`attribute_not_exists`) or released.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AppointmentListFilter,
  type AppointmentRecord,
  type AppointmentRepository,
  SlotTaken,
} from '#domain/appointments/ports.ts';
import { MAX_APPOINTMENT_MS } from '#domain/appointments/schedule-slots.ts';
import { StaleWrite } from '#domain/repository.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { appointmentKeys } from './keys/appointments.ts';
import { MAIN_INDEX } from './tables.ts';
import { backoff, cancellationCodes, onlyConflicted, TRANSACTION_ATTEMPTS } from './transactions.ts';

const table = () => requireEnv('mainTable');

type Stored = Record<string, unknown>;
type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

const headItem = (record: AppointmentRecord) => ({
  ...record,
  ...appointmentKeys.primary(record.id),
  ...appointmentKeys.byOwner(record.ownerUserId, record.startAt, record.id),
  ...appointmentKeys.all(record.startAt, record.id),
  kind: appointmentKeys.kind,
});

const withoutKeys = (item: Stored): AppointmentRecord => {
  const { pk: _pk, sk: _sk, gsi1pk: _1, gsi1sk: _2, gsi3pk: _3, gsi3sk: _4, kind: _kind, ...rest } = item;
  return rest as AppointmentRecord;
};

const getHead = async (id: string, consistent = false) => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: table(), Key: appointmentKeys.primary(id), ConsistentRead: consistent }),
  );
  return Item === undefined ? undefined : withoutKeys(Item);
};

const claimSlot = (record: AppointmentRecord, slot: string): TransactItem => ({
  Put: {
    TableName: table(),
    Item: {
      ...appointmentKeys.slot(record.staffId, slot),
      kind: appointmentKeys.slotKind,
      staffId: record.staffId,
      appointmentId: record.id,
      slot,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

// Only the slot's own appointment may release it.
const releaseSlot = (record: AppointmentRecord, slot: string): TransactItem => ({
  Delete: {
    TableName: table(),
    Key: appointmentKeys.slot(record.staffId, slot),
    ConditionExpression: 'attribute_not_exists(pk) OR appointmentId = :id',
    ExpressionAttributeValues: { ':id': record.id },
  },
});

/** Who holds a slot a cancelled transaction could not claim (for the 409's detail). */
const holderOf = async (staffId: string, slot: string | undefined) => {
  if (slot === undefined) return undefined;
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: table(), Key: appointmentKeys.slot(staffId, slot), ConsistentRead: true }),
  );
  return typeof Item?.appointmentId === 'string' ? Item.appointmentId : undefined;
};

/**
 * Runs the transaction, retrying while it loses only to concurrent transactions. `slotsFrom` is
 * the index of the first claimed slot among the items; a failed claim is SlotTaken, a failed
 * head condition StaleWrite.
 */
const transact = async (record: AppointmentRecord, items: TransactItem[], claimed: readonly string[]) => {
  const slotsFrom = items.length - claimed.length;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined) throw error;
      if (onlyConflicted(codes) && attempt + 1 < TRANSACTION_ATTEMPTS) {
        await backoff(attempt);
        continue;
      }
      const failed = codes.indexOf('ConditionalCheckFailed');
      if (failed === 0) throw new StaleWrite(await getHead(record.id, true));
      if (failed >= slotsFrom)
        throw new SlotTaken(await holderOf(record.staffId, claimed[failed - slotsFrom]));
      throw new StaleWrite(await getHead(record.id, true));
    }
  }
};

/** KeyCondition bounds for appointments overlapping [from, to): they start before `to` and at most a max length before `from`. */
const startBounds = (filter: AppointmentListFilter) => ({
  startFrom: filter.from && new Date(Date.parse(filter.from) - MAX_APPOINTMENT_MS).toISOString(),
  startBefore: filter.to,
});

const filterOf = (filter: AppointmentListFilter) => {
  const conditions: string[] = [];
  const values: Stored = {};
  if (filter.from) {
    conditions.push('endAt > :from');
    values[':from'] = filter.from;
  }
  if (filter.status) {
    conditions.push('#status = :status');
    values[':status'] = filter.status;
  }
  if (conditions.length === 0) return { values };
  return {
    FilterExpression: conditions.join(' AND '),
    ...(filter.status ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
    values,
  };
};

const query = async (
  index: string,
  names: { pk: string; sk: string },
  range: { pk: string; lower: string; upper: string },
  filter: AppointmentListFilter,
  page: { limit: number; position?: Stored },
) => {
  const { values, ...expression } = filterOf(filter);
  const result = await documentClient.send(
    new QueryCommand({
      TableName: table(),
      IndexName: index,
      KeyConditionExpression: `${names.pk} = :pk AND ${names.sk} BETWEEN :lower AND :upper`,
      ...expression,
      ExpressionAttributeValues: { ':pk': range.pk, ':lower': range.lower, ':upper': range.upper, ...values },
      Limit: page.limit,
      ExclusiveStartKey: page.position,
    }),
  );
  return { items: (result.Items ?? []).map(withoutKeys), next: result.LastEvaluatedKey };
};

export const appointmentRepository: AppointmentRepository = {
  bookAppointment: async (record, slots) => {
    const head: TransactItem = {
      Put: { TableName: table(), Item: headItem(record), ConditionExpression: 'attribute_not_exists(pk)' },
    };
    await transact(record, [head, ...slots.map((slot) => claimSlot(record, slot))], slots);
  },

  getAppointment: (id) => getHead(id),

  listAppointmentsOfOwner: (ownerUserId, filter, page) => {
    const { startFrom, startBefore } = startBounds(filter);
    const range = appointmentKeys.ownerRange(ownerUserId, startFrom, startBefore);
    return query(MAIN_INDEX.byOwner, { pk: 'gsi1pk', sk: 'gsi1sk' }, range, filter, page);
  },

  listAppointments: (filter, page) => {
    const { startFrom, startBefore } = startBounds(filter);
    const range = appointmentKeys.allRange(startFrom, startBefore);
    return query(MAIN_INDEX.byStatus, { pk: 'gsi3pk', sk: 'gsi3sk' }, range, filter, page);
  },

  updateAppointment: async (next, expected, slots) => {
    const condition = {
      ConditionExpression: '#status = :status AND version = :version',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': expected.status, ':version': expected.version },
    };
    if (slots.release.length === 0 && slots.claim.length === 0) {
      // No slot moves: one conditional Put, no transaction (FACTS.md: ~4.5× cheaper).
      try {
        await documentClient.send(new PutCommand({ TableName: table(), Item: headItem(next), ...condition }));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        throw new StaleWrite(await getHead(next.id, true));
      }
      return;
    }
    const items: TransactItem[] = [
      { Put: { TableName: table(), Item: headItem(next), ...condition } },
      ...slots.release.map((slot) => releaseSlot(next, slot)),
      ...slots.claim.map((slot) => claimSlot(next, slot)),
    ];
    await transact(next, items, slots.claim);
  },
};
