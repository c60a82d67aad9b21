/** The contracts and appointments demo seeder against DynamoDB Local: what it writes, and that a second run adds nothing. */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { staffProfileEntity, staffProfileLinkEntity } from '#data/entities/staff.ts';
import { MAIN_INDEX, MAIN_TABLE } from '#data/tables.ts';
import type { Role } from '#domain/roles.ts';
import { ensureTable } from '../../local/tables.ts';
import type { DemoContext } from '../../scripts/seed.ts';
import { startTestDynamoDb, stubRepositoryEnv } from './helpers.ts';

const tableName = 'ContractsSeedTest';
const STAFF_SUB = '6f1c2a3b-0000-4000-8000-000000000009';
const STAFF_ID = '01JSTAFFSEED00000000000001';

let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let items: DynamoDBDocumentClient;

beforeAll(async () => {
  ddb = await startTestDynamoDb('contracts-seed');
  const { stream: _noStream, ...withoutStream } = MAIN_TABLE;
  await ensureTable(ddb.client, withoutStream, tableName);
  stubRepositoryEnv(ddb.endpoint, tableName);
  items = DynamoDBDocumentClient.from(ddb.client);
  // The demo staff member's profile and user link, as the staff capability stores them.
  const profile = { id: STAFF_ID, userId: STAFF_SUB, name: 'Sam Staff', email: 'staff@shiftline.test' };
  await items.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...staffProfileEntity.key({ id: STAFF_ID }),
        ...staffProfileEntity.indexKey('all', { isActive: true, id: STAFF_ID }),
        kind: 'StaffProfile',
        ...profile,
        isActive: true,
        version: 1,
      },
    }),
  );
  await items.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...staffProfileLinkEntity.key({ userId: STAFF_SUB }),
        kind: 'StaffProfileLink',
        staffId: STAFF_ID,
      },
    }),
  );
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await ddb?.client.send(new DeleteTableCommand({ TableName: tableName }));
  (await import('#data/client.ts')).documentClient.destroy();
  await ddb?.stop();
});

const ownedItems = async () =>
  (
    await items.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: MAIN_INDEX.byParent.indexName,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `USER#${STAFF_SUB}` },
      }),
    )
  ).Items ?? [];

it('gives the demo staff member contracts in several states and a week of shifts, once', async () => {
  // Prepare
  const { seedContractsAndAppointments } = await import('../../scripts/seed/contracts.ts');
  const now = new Date();
  const ids: Record<Role, string> = {
    admin: 'admin-sub',
    recruiter: 'recruiter-sub',
    credentialing: 'cred-sub',
    staff: STAFF_SUB,
  };
  const user = (role: Role) => ({ id: ids[role], role, email: `${role}@shiftline.test`, name: role });
  const demo: DemoContext = {
    users: {
      admin: user('admin'),
      recruiter: user('recruiter'),
      credentialing: user('credentialing'),
      staff: user('staff'),
    },
    now,
    as: (role) => ({ actor: { userId: ids[role], roles: [role] }, now, requestId: `seed-${role}` }),
  };

  // Act
  await seedContractsAndAppointments(demo);
  const first = await ownedItems();
  await seedContractsAndAppointments(demo);

  // Assess
  const contracts = first.filter((item) => item.kind === 'Contract');
  expect(contracts.map((item) => item.status).sort()).toEqual(
    ['acknowledged', 'active', 'completed', 'draft', 'offered', 'withdrawn'].sort(),
  );
  expect(contracts.filter((item) => item.currentVersion > 1).length).toBeGreaterThanOrEqual(4);
  expect(contracts.find((item) => item.status === 'offered')?.currentVersion).toBe(3);
  const shifts = first.filter((item) => item.kind === 'Appointment');
  expect(shifts).toHaveLength(6);
  expect(shifts.map((item) => item.status)).toContain('completed');
  expect(shifts.map((item) => item.status)).toContain('confirmed');
  expect(await ownedItems()).toHaveLength(first.length);
});
