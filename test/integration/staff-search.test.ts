/**
 * The staff search index against DynamoDB Local: terms written in the profile's and the
 * credential's transactions, stale terms deleted when a name or NPI changes, a refused update
 * writing no term, and the name range read as one Query in word order.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAIN_TABLE } from '#data/tables.ts';
import type { StoredCredential } from '#domain/credentials/ports.ts';
import { PreconditionFailed } from '#domain/errors.ts';
import type { StaffSearchIndex, StoredStaffProfile } from '#domain/staff/ports.ts';
import { ensureTable } from '../../local/tables.ts';
import { startTestDynamoDb, stubRepositoryEnv } from './helpers.ts';

const tableName = 'StaffSearchTest';
const NOW = '2026-03-01T00:00:00.000Z';
const actor = { userId: 'admin', roles: ['admin'], requestId: 'it', action: 'create' };

let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let index: StaffSearchIndex;
let profiles: typeof import('#data/staff.ts')['staffProfileRepository'];
let credentials: typeof import('#data/credentials.ts')['credentialRepository'];

beforeAll(async () => {
  ddb = await startTestDynamoDb('staff-search');
  const { stream: _noStream, ...withoutStream } = MAIN_TABLE;
  await ensureTable(ddb.client, withoutStream, tableName);
  stubRepositoryEnv(ddb.endpoint, tableName);
  ({ staffSearchIndex: index } = await import('#data/staff-search.ts'));
  ({ staffProfileRepository: profiles } = await import('#data/staff.ts'));
  ({ credentialRepository: credentials } = await import('#data/credentials.ts'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await ddb?.client.send(new DeleteTableCommand({ TableName: tableName }));
  await ddb?.stop();
});

const profile = (id: string, name: string, npi?: string): StoredStaffProfile => ({
  id,
  userId: `user-${id}`,
  name,
  email: `${id}@example.org`,
  isActive: true,
  ...(npi ? { npi } : {}),
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
  lastActor: actor,
});

const namesFor = async (prefix: string) =>
  (await index.byNamePrefix(prefix, { limit: 25 })).items.map((term) => `${term.value}/${term.staffId}`);

describe('the staff search index', () => {
  it('writes the terms with the profile and follows a rename, deleting the stale ones', async () => {
    // Prepare
    const before = profile('S1', 'Maria José Marquez', '1234567893');
    await profiles.create(before);
    await profiles.create(profile('S2', 'Marek Novak'));
    const after = { ...before, name: 'Maria Novak', npi: undefined, version: 2 } as StoredStaffProfile;
    delete after.npi;

    // Act
    const found = [await namesFor('mar'), await index.byNpi('1234567893')];
    await profiles.update(before, after);

    // Assess
    expect(found).toEqual([['marek/S2', 'maria/S1', 'marquez/S1'], ['S1']]);
    expect(await namesFor('mar')).toEqual(['marek/S2', 'maria/S1']);
    expect(await namesFor('no')).toEqual(['novak/S1', 'novak/S2']);
    expect(await namesFor('jo')).toEqual([]);
    expect(await index.byNpi('1234567893')).toEqual([]);
  });

  it('writes no term when the profile changed meanwhile', async () => {
    // Prepare
    const stale = profile('S3', 'Olga Petrova');
    await profiles.create(stale);
    await profiles.update(stale, { ...stale, phone: '+1 555 0100', version: 2 });

    // Act
    const refused = profiles.update(stale, { ...stale, name: 'Olga Ivanova', version: 2 });

    // Assess
    await expect(refused).rejects.toBeInstanceOf(PreconditionFailed);
    expect(await namesFor('iv')).toEqual([]);
    expect(await namesFor('pe')).toEqual(['petrova/S3']);
  });

  it("writes a credential's licence number with it, folded", async () => {
    // Prepare
    const credential = {
      id: 'C1',
      staffId: 'S2',
      ownerUserId: 'user-S2',
      type: 'RN',
      number: 'rn 44-1',
      status: 'pending',
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
      lastActor: actor,
    } as unknown as StoredCredential;

    // Act
    await credentials.create(credential);

    // Assess
    expect(await index.byLicence('RN441')).toEqual(['S2']);
    expect(await credentials.get('C1')).toMatchObject({ number: 'rn 44-1' });
  });
});
