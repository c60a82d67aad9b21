/**
 * Contracts and appointments repositories and services against DynamoDB Local: the version
 * transaction, optimistic concurrency, racing transitions and concurrent booking. The table is
 * the test's own (its status and start-time partitions are shared by every item of a kind).
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { staffProfileEntity } from '#data/entities/staff.ts';
import { MAIN_TABLE } from '#data/tables.ts';
import type { AppointmentsService } from '#domain/appointments/service.ts';
import type { ServiceContext } from '#domain/context.ts';
import type { ContractsService } from '#domain/contracts/service.ts';
import { ContractContentSchema } from '#domain/schemas/contracts.ts';
import { ensureTable } from '../../local/tables.ts';
import { startTestDynamoDb, stubRepositoryEnv } from './helpers.ts';

const tableName = 'ContractsAppointmentsTest';
const STAFF_ID = '01JSTAFFINTEGRATION0000001';
const STAFF_SUB = '6f1c2a3b-0000-4000-8000-000000000001';
const now = new Date('2026-03-02T09:00:00.000Z');
const as = (userId: string, role: 'recruiter' | 'staff'): ServiceContext => ({
  actor: { userId, roles: [role] },
  now,
  requestId: `req-${role}`,
});
const recruiter = as('recruiter-sub', 'recruiter');
const staffMember = as(STAFF_SUB, 'staff');

let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let items: DynamoDBDocumentClient;
let repositoryClient: DynamoDBDocumentClient;
let contracts: ContractsService;
let appointments: AppointmentsService;
const held: Array<{ type: string; status: string; expiryDate?: string }> = [];

beforeAll(async () => {
  ddb = await startTestDynamoDb('contracts-appointments');
  const { stream: _noStream, ...withoutStream } = MAIN_TABLE;
  await ensureTable(ddb.client, withoutStream, tableName);
  items = DynamoDBDocumentClient.from(ddb.client);
  stubRepositoryEnv(ddb.endpoint, tableName);
  const { contractRepository, contractStaff } = await import('#data/contracts.ts');
  const { appointmentRepository } = await import('#data/appointments.ts');
  const { staffOwners } = await import('#data/staff-owners.ts');
  const { createContractsService } = await import('#domain/contracts/service.ts');
  const { createAppointmentsService } = await import('#domain/appointments/service.ts');
  ({ documentClient: repositoryClient } = await import('#data/client.ts'));
  contracts = createContractsService({
    contracts: contractRepository,
    staff: staffOwners,
    credentials: { heldCredentials: async () => held },
  });
  appointments = createAppointmentsService({
    appointments: appointmentRepository,
    staff: staffOwners,
    contracts: contractStaff,
  });
  // The staff profile, as the staff capability stores it: the owner sub is read from it.
  await items.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...staffProfileEntity.key({ id: STAFF_ID }),
        kind: 'StaffProfile',
        id: STAFF_ID,
        userId: STAFF_SUB,
      },
    }),
  );
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await ddb?.client.send(new DeleteTableCommand({ TableName: tableName }));
  repositoryClient?.destroy();
  await ddb?.stop();
});

const terms = (text: string) =>
  ContractContentSchema.parse({
    title: 'Night float',
    terms: text,
    startDate: '2026-04-01',
    endDate: '2026-06-30',
    requiredCredentialTypes: ['RN'],
  });

const partitionOf = async (contractId: string) =>
  (
    await items.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CONTRACT#${contractId}` },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

describe('contract versions (DynamoDB Local)', () => {
  it('writes the head and version 1, then each edit as a version item with the head, atomically', async () => {
    const created = await contracts.create(recruiter, { staffId: STAFF_ID, ...terms('v1') });
    const edited = await contracts.revise(recruiter, created.id, 1, terms('v2'));

    const stored = await partitionOf(created.id);
    expect(stored.map((item) => item.kind).sort()).toEqual([
      'Contract',
      'ContractVersion',
      'ContractVersion',
    ]);
    const head = stored.find((item) => item.kind === 'Contract');
    expect(head).toMatchObject({
      ownerUserId: STAFF_SUB,
      staffId: STAFF_ID,
      status: 'draft',
      currentVersion: 2,
      version: 2,
      contentHash: edited.contentHash,
      lastActor: { userId: 'recruiter-sub', action: 'update', requestId: 'req-recruiter' },
      gsi1pk: `USER#${STAFF_SUB}`,
    });
    const versions = await contracts.listVersions(staffMember, created.id, { limit: 10 });
    expect(versions.items.map((version) => [version.version, version.terms])).toEqual([
      [1, 'v1'],
      [2, 'v2'],
    ]);
    expect(versions.items[1]?.contentHash).toBe(edited.contentHash);
  });

  it('refuses a stale If-Match with 412 and writes no version item', async () => {
    const created = await contracts.create(recruiter, { staffId: STAFF_ID, ...terms('v1') });
    await contracts.revise(recruiter, created.id, 1, terms('v2'));

    await expect(contracts.revise(recruiter, created.id, 1, terms('v3'))).rejects.toMatchObject({
      status: 412,
    });
    expect((await partitionOf(created.id)).filter((item) => item.kind === 'ContractVersion')).toHaveLength(2);
  });

  it('lets exactly one of concurrent edits of the same version commit', async () => {
    const created = await contracts.create(recruiter, { staffId: STAFF_ID, ...terms('v1') });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, index) =>
        contracts.revise(recruiter, created.id, 1, terms(`edit ${index}`)),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const versions = (await partitionOf(created.id)).filter((item) => item.kind === 'ContractVersion');
    expect(versions).toHaveLength(2);
    for (const result of results) {
      if (result.status === 'rejected') expect([409, 412]).toContain(result.reason.status);
    }
  });

  it('lets exactly one of 20 racing transitions win; the others get 409', async () => {
    // Acknowledge and decline both leave `offered` only, so no loser can follow the winner.
    const created = await contracts.create(recruiter, {
      staffId: STAFF_ID,
      ...terms('race'),
      requiredCredentialTypes: [],
    });
    const offered = await contracts.transition(recruiter, created.id, 'offer');
    const acknowledges = { version: offered.currentVersion, contentHash: offered.contentHash };
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        index % 2 === 0
          ? contracts.transition(staffMember, created.id, 'acknowledge', { acknowledges })
          : contracts.transition(staffMember, created.id, 'decline'),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason.status).toBe(409);
    }
    expect((await contracts.get(recruiter, created.id)).version).toBe(3);
  });

  it('lists a staff member’s contracts through the owner index and all contracts by status', async () => {
    const created = await contracts.create(recruiter, { staffId: STAFF_ID, ...terms('listed') });
    await contracts.transition(recruiter, created.id, 'offer');
    const own = await contracts.list(staffMember, { limit: 100 });
    expect(own.items.map((item) => item.id)).toContain(created.id);
    const offered = await contracts.list(recruiter, { limit: 100, status: 'offered' });
    expect(offered.items.every((item) => item.status === 'offered')).toBe(true);
    expect(offered.items.map((item) => item.id)).toContain(created.id);
  });
});

describe('appointment booking (DynamoDB Local)', () => {
  const at = (time: string) => `2026-03-20T${time}:00.000Z`;

  it('lets exactly one of 20 concurrent overlapping bookings commit', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        appointments.create(recruiter, {
          staffId: STAFF_ID,
          startAt: at(`0${8 + (index % 2)}:00`),
          endAt: at('12:00'),
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason.status).toBe(409);
    }
    const listed = await appointments.list(staffMember, { limit: 100, from: at('00:00'), to: at('23:45') });
    expect(listed.items).toHaveLength(1);
  });

  it('frees the time on cancel, and books adjacent shifts', async () => {
    const first = await appointments.create(recruiter, {
      staffId: STAFF_ID,
      startAt: at('13:00'),
      endAt: at('14:00'),
    });
    await expect(
      appointments.create(recruiter, { staffId: STAFF_ID, startAt: at('13:30'), endAt: at('15:00') }),
    ).rejects.toMatchObject({ status: 409 });
    await appointments.transition(staffMember, first.id, 'cancel', { reason: 'swap' });
    await expect(
      appointments.create(recruiter, { staffId: STAFF_ID, startAt: at('13:30'), endAt: at('15:00') }),
    ).resolves.toMatchObject({ status: 'scheduled' });
    await expect(
      appointments.create(recruiter, { staffId: STAFF_ID, startAt: at('15:00'), endAt: at('16:00') }),
    ).resolves.toMatchObject({ status: 'scheduled' });
  });

  it('moves slots with the times in one transaction and refuses a stale version', async () => {
    const booked = await appointments.create(recruiter, {
      staffId: STAFF_ID,
      startAt: at('18:00'),
      endAt: at('19:00'),
    });
    const moved = await appointments.update(recruiter, booked.id, 1, {
      startAt: at('18:30'),
      endAt: at('19:30'),
    });
    expect(moved).toMatchObject({ version: 2, startAt: at('18:30') });
    await expect(appointments.update(recruiter, booked.id, 1, { notes: 'late' })).rejects.toMatchObject({
      status: 412,
    });
    await expect(
      appointments.create(recruiter, { staffId: STAFF_ID, startAt: at('18:00'), endAt: at('18:30') }),
    ).resolves.toMatchObject({ status: 'scheduled' });
    await expect(
      appointments.create(recruiter, { staffId: STAFF_ID, startAt: at('19:15'), endAt: at('20:00') }),
    ).rejects.toMatchObject({ status: 409 });
  });
});
