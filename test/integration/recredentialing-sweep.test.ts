/**
 * The recredentialing sweep against DynamoDB Local with an injected clock, on a table of its own
 * (it reads every approved profile): the cadence before the due date, overdue after it, each
 * warning written once (a rerun of the day changes nothing).
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAIN_TABLE } from '#data/tables.ts';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import { addDays } from '#domain/credentials/days.ts';
import type { StoredStaffProfile } from '#domain/staff/ports.ts';
import { ensureTable } from '../../local/tables.ts';
import { startTestDynamoDb, stubRepositoryEnv } from './helpers.ts';

const tableName = 'RecredentialingTest';
const DUE_DAY = '2030-06-01';
const DUE = `${DUE_DAY}T12:00:00.000Z`;

let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let profiles: typeof import('#data/staff.ts')['staffProfileRepository'];
let sweep: ReturnType<
  typeof import('#domain/credentialing/recredentialing.ts')['createRecredentialingSweep']
>;

const run = (day: string) =>
  sweep.run({ actor: SYSTEM_ACTOR, now: new Date(`${day}T06:15:00.000Z`), requestId: `sweep-${day}` });

const profile = (n: number, extra: Partial<StoredStaffProfile>): StoredStaffProfile => ({
  id: `01J00000000000000000000RC${n}`,
  userId: `00000000-0000-4000-8000-00000000000${n}`,
  name: 'Grace Lindqvist',
  email: `rc${n}@example.org`,
  isActive: true,
  version: 1,
  createdAt: '2027-06-01T12:00:00.000Z',
  updatedAt: '2027-06-01T12:00:00.000Z',
  lastActor: { userId: 'cred-sub', roles: ['credentialing'], requestId: 'r', action: 'decide' },
  ...extra,
});

beforeAll(async () => {
  ddb = await startTestDynamoDb('recredentialing');
  const { stream: _noStream, ...withoutStream } = MAIN_TABLE;
  await ensureTable(ddb.client, withoutStream, tableName);
  stubRepositoryEnv(ddb.endpoint, tableName);
  ({ staffProfileRepository: profiles } = await import('#data/staff.ts'));
  const { createRecredentialingSweep } = await import('#domain/credentialing/recredentialing.ts');
  sweep = createRecredentialingSweep({ profiles });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await ddb?.client.send(new DeleteTableCommand({ TableName: tableName }));
  await ddb?.stop();
});

describe('recredentialing sweep', () => {
  it('warns at 90/60/30/14/7/0 days, then overdue, each once, and leaves other files alone', async () => {
    // Prepare
    await profiles.create(profile(1, { credentialingStatus: 'approved', recredentialDueAt: DUE }));
    await profiles.create(profile(2, { credentialingStatus: 'denied' }));
    await profiles.create(
      profile(3, { credentialingStatus: 'approved', recredentialDueAt: '2033-06-01T12:00:00.000Z' }),
    );
    const warnings: unknown[] = [];

    // Act
    for (const before of [100, 90, 75, 60, 30, 14, 7, 0, -1]) {
      const day = addDays(DUE_DAY, -before);
      const first = await run(day);
      const again = await run(day);
      expect(again).toEqual({ examined: first.examined, warned: 0, overdue: 0 });
      warnings.push((await profiles.get(profile(1, {}).id))?.recredentialWarning ?? null);
    }

    // Assess
    expect(warnings).toEqual([null, 90, 90, 60, 30, 14, 7, 0, 'overdue']);
    expect(await profiles.get(profile(1, {}).id)).toMatchObject({
      credentialingStatus: 'approved',
      version: 1 + 7,
      lastActor: { userId: 'system', roles: ['system'], action: 'overdue' },
    });
    expect(await profiles.get(profile(2, {}).id)).toMatchObject({ version: 1 });
    expect(await profiles.get(profile(3, {}).id)).toMatchObject({ version: 1 });
    expect((await profiles.get(profile(3, {}).id))?.recredentialWarning).toBeUndefined();
  }, 60_000);
});
