/**
 * Staff profile and credential repositories, the document store and the expiry sweep against
 * DynamoDB Local and the twin's verifying object store. The table is this file's own (no
 * stream): the sweep reads whole expiry buckets, which other tests must not share.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAIN_TABLE } from '#data/tables.ts';
import type { ServiceContext } from '#domain/context.ts';
import { addDays, dayOf } from '#domain/credentials/days.ts';
import { CREDENTIAL_LIFECYCLE, CREDENTIAL_TRANSITIONS } from '#domain/credentials/state-machine.ts';
import { Conflict, NotFound, PreconditionFailed } from '#domain/errors.ts';
import { lostRace } from '#domain/lifecycle.ts';
import { StaleWrite } from '#domain/repository.ts';
import { type RunningObjectStore, startObjectStore } from '../../local/object-store.ts';
import { ensureTable } from '../../local/tables.ts';
import { startTestDynamoDb, stubRepositoryEnv, testCredentials } from './helpers.ts';

const require = createRequire(import.meta.url);
const tableName = 'StaffCredentialsTest';
const bucket = 'documents-test';
const NOW = new Date('2031-03-02T09:00:00.000Z');
const TODAY = dayOf(NOW);

let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let objectStore: RunningObjectStore;
let client: DynamoDBDocumentClient;
let data: {
  staff: typeof import('#data/staff.ts')['staffProfileRepository'];
  credentials: typeof import('#data/credentials.ts')['credentialRepository'];
  documents: typeof import('#data/documents.ts')['s3DocumentStore'];
};
let services: {
  staff: ReturnType<typeof import('#domain/staff/service.ts')['createStaffService']>;
  credentials: ReturnType<typeof import('#domain/credentials/service.ts')['createCredentialService']>;
  sweep: ReturnType<typeof import('#domain/credentials/expiry-sweep.ts')['createExpirySweep']>;
};

const context = (userId: string, roles: ServiceContext['actor']['roles'], now = NOW): ServiceContext => ({
  actor: { userId, roles },
  now,
  requestId: `req-${userId}`,
});
const admin = context('admin-sub', ['admin']);
let userCounter = 0;
const newUserId = () => `00000000-0000-4000-8000-${String(++userCounter).padStart(12, '0')}`;

beforeAll(async () => {
  ddb = await startTestDynamoDb('staff-credentials');
  const { stream: _noStream, ...withoutStream } = MAIN_TABLE;
  await ensureTable(ddb.client, withoutStream, tableName);
  objectStore = await startObjectStore({ port: 0, bucket, region: 'us-east-1', ...testCredentials });
  // The adapters' clients read endpoints, region and credentials from the environment on import.
  stubRepositoryEnv(ddb.endpoint, tableName);
  vi.stubEnv('DOCUMENTS_BUCKET_NAME', bucket);
  vi.stubEnv('AWS_ENDPOINT_URL_S3', objectStore.url);
  ({ documentClient: client } = await import('#data/client.ts'));
  data = {
    staff: (await import('#data/staff.ts')).staffProfileRepository,
    credentials: (await import('#data/credentials.ts')).credentialRepository,
    documents: (await import('#data/documents.ts')).s3DocumentStore,
  };
  const { createStaffService } = await import('#domain/staff/service.ts');
  const { createCredentialService } = await import('#domain/credentials/service.ts');
  const { createExpirySweep } = await import('#domain/credentials/expiry-sweep.ts');
  services = {
    staff: createStaffService({
      profiles: data.staff,
      users: {
        getUser: async (id) => ({ id, email: `${id}@example.org`, name: 'Test User', roles: ['staff'] }),
      },
      accessEvents: { record: async () => undefined },
    }),
    credentials: createCredentialService({
      credentials: data.credentials,
      profiles: data.staff,
      documents: data.documents,
      verifications: (await import('#data/credentialing.ts')).verificationRepository,
    }),
    sweep: createExpirySweep({ credentials: data.credentials }),
  };
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await ddb?.client.send(new DeleteTableCommand({ TableName: tableName }));
  client?.destroy();
  await ddb?.stop();
  await objectStore?.stop();
});

const newProfile = (specialty = 'ICU') =>
  services.staff.create(admin, {
    userId: newUserId(),
    name: 'Nia Nurse',
    specialty,
    dateOfBirth: '1990-05-01',
  });

describe('staff profile repository', () => {
  it('keeps one profile per user and resolves the user to it in one read', async () => {
    const profile = await newProfile();
    expect(await data.staff.profileIdOfUser(profile.userId)).toBe(profile.id);
    await expect(
      services.staff.create(admin, { userId: profile.userId, name: 'Again' }),
    ).rejects.toBeInstanceOf(Conflict);
    expect(await data.staff.profileIdOfUser(newUserId())).toBeUndefined();
  });

  it('reads several profiles in one batch and summarizes them without dates of birth', async () => {
    const [first, second] = await Promise.all([newProfile(), newProfile('ER')]);
    const absent = '01J000000000000000000ABSNT';

    const found = await data.staff.getMany([first.id, second.id, absent]);
    const summaries = await services.staff.summaries(admin, [first.id, second.id, first.id, absent]);

    expect(found.map((profile) => profile.id).sort()).toEqual([first.id, second.id].sort());
    expect([...summaries.keys()].sort()).toEqual([first.id, second.id].sort());
    expect(summaries.get(first.id)).not.toHaveProperty('dateOfBirth');
  });

  it('updates conditionally on the version and moves the list keys with the profile', async () => {
    const specialty = `Flight-${Date.now()}`;
    const profile = await newProfile(specialty);
    const bySpecialty = (active?: boolean) =>
      services.staff
        .list(admin, { specialty, active }, { limit: 10 })
        .then((page) => page.items.map((p) => p.id));
    expect(await bySpecialty(true)).toEqual([profile.id]);

    await services.staff.update(admin, profile.id, 1, { isActive: false });
    expect(await bySpecialty(true)).toEqual([]);
    expect(await bySpecialty(false)).toEqual([profile.id]);
    await expect(services.staff.update(admin, profile.id, 1, { name: 'Stale' })).rejects.toBeInstanceOf(
      PreconditionFailed,
    );
    await services.staff.update(admin, profile.id, 2, { specialty: null, phone: '+1 555 0100' });
    expect(await bySpecialty()).toEqual([]);
    const stored = await data.staff.get(profile.id);
    expect(stored).toMatchObject({ version: 3, phone: '+1 555 0100', isActive: false });
    expect(stored).not.toHaveProperty('specialty');
    expect(stored).not.toHaveProperty('gsi1pk');
  });

  it('pages the whole list, active profiles first', async () => {
    const inactive = await newProfile();
    await services.staff.update(admin, inactive.id, 1, { isActive: false });
    await newProfile();
    const seen: Array<{ id: string; isActive: boolean }> = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await services.staff.list(admin, {}, { limit: 2, position: after });
      seen.push(...page.items);
      after = page.next;
    } while (after !== undefined);
    const firstInactive = seen.findIndex((p) => !p.isActive);
    expect(seen.slice(firstInactive).every((p) => !p.isActive)).toBe(true);
    expect(new Set(seen.map((p) => p.id)).size).toBe(seen.length);
  });
});

describe('credential repository', () => {
  it('moves a credential between status partitions and out of the expiry index when it ends', async () => {
    const profile = await newProfile();
    const expiryDate = addDays(TODAY, 500);
    const created = await services.credentials.create(admin, profile.id, { type: 'RN', expiryDate });
    const queue = async (status: 'pending' | 'active' | 'revoked') =>
      (await data.credentials.listByStatus(status, { limit: 100 })).items.map((c) => c.id);
    expect(await queue('pending')).toContain(created.id);
    expect((await data.credentials.listExpiringOn(expiryDate, undefined, { limit: 10 })).items).toHaveLength(
      1,
    );

    await services.credentials.decide(admin, created.id, { transition: 'verify', method: 'primary source' });
    expect(await queue('pending')).not.toContain(created.id);
    expect(await queue('active')).toContain(created.id);
    expect((await data.credentials.listOfStaff(profile.id, 'active', { limit: 10 })).items).toHaveLength(1);
    expect((await data.credentials.listOfStaff(profile.id, 'pending', { limit: 10 })).items).toHaveLength(0);

    const revoked = await services.credentials.decide(admin, created.id, {
      transition: 'revoke',
      reason: 'board',
    });
    expect(revoked).toMatchObject({ status: 'revoked', version: 3, revocation: { reason: 'board' } });
    expect(await queue('revoked')).toContain(created.id);
    expect((await data.credentials.listExpiringOn(expiryDate, undefined, { limit: 10 })).items).toHaveLength(
      0,
    );
  });

  it('refuses a transition from the wrong state with the current state, and a missing credential as 404', async () => {
    const profile = await newProfile();
    const created = await services.credentials.create(admin, profile.id, { type: 'BLS' });
    const meta = { updatedAt: 'x', lastActor: admin.actor as never };
    const { reject, verify } = CREDENTIAL_TRANSITIONS;
    // As if a racing request had already rejected it after this one read it pending.
    await data.credentials.transition(created, reject, { meta });
    const stale = await data.credentials
      .transition(created, verify, { meta })
      .catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(StaleWrite);
    expect((stale as StaleWrite<{ status: string }>).current?.status).toBe('rejected');
    const lost = await data.credentials
      .transition(created, verify, { meta })
      .catch(lostRace(CREDENTIAL_LIFECYCLE, { action: 'verify' }))
      .catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(Conflict);
    expect((lost as Conflict).currentState).toBe('rejected');
    expect((lost as Conflict).message).toBe('The credential is rejected: it cannot be moved by verify');
    await expect(
      data.credentials
        .transition({ ...created, id: '01J0000000000000000000NONE' }, verify, { meta })
        .catch(lostRace(CREDENTIAL_LIFECYCLE, { action: 'verify' })),
    ).rejects.toBeInstanceOf(NotFound);
  });

  it('marks a document uploaded once, and only the upload it was asked for', async () => {
    const profile = await newProfile();
    const { id } = await services.credentials.create(admin, profile.id, { type: 'ACLS' });
    const meta = {
      updatedAt: NOW.toISOString(),
      lastActor: { userId: 'u', roles: [], requestId: 'r', action: 'x' },
    };
    const document = { name: 'card.png', contentType: 'image/png', size: 10, status: 'pending' as const };
    await data.credentials.attachDocument(id, document, `credentials/${id}/first`, meta);
    expect(await data.credentials.markDocumentUploaded(id, `credentials/${id}/other`, meta)).toBe(false);
    expect(await data.credentials.markDocumentUploaded(id, `credentials/${id}/first`, meta)).toBe(true);
    expect(await data.credentials.markDocumentUploaded(id, `credentials/${id}/first`, meta)).toBe(false);
    expect(await data.credentials.get(id)).toMatchObject({ document: { status: 'uploaded' }, version: 3 });
  });
});

describe('document store', () => {
  it('uploads through the presigned PUT, sees the object, and serves it as an attachment', async () => {
    const file = readFileSync(require.resolve('swagger-ui-dist/favicon-32x32.png'));
    const key = `credentials/01J0000000000000000000DOCS/${Date.now()}`;
    expect(await data.documents.exists(key)).toBe(false);
    const upload = await data.documents.presignUpload(key, 'image/png', file.length);
    const wrongType = await fetch(upload.url, {
      method: 'PUT',
      body: file,
      headers: { 'content-type': 'text/html' },
    });
    expect(wrongType.status).toBe(403);
    const put = await fetch(upload.url, { method: 'PUT', body: file, headers: upload.headers });
    expect(put.status).toBe(200);
    expect(await data.documents.exists(key)).toBe(true);
    const download = await data.documents.presignDownload(key, 'credential-x.png');
    const got = await fetch(download.url);
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="credential-x.png"');
    expect(Buffer.from(await got.arrayBuffer()).equals(file)).toBe(true);
  });
});

describe('expiry sweep', () => {
  const at = (day: string) => context('scheduler', [], new Date(`${day}T06:00:00.000Z`));

  it('fires each threshold once as the days pass, expires once, and a repeat run changes nothing', async () => {
    // Far from every other test's dates: the sweep reads whole buckets.
    const start = '2041-01-01';
    const profile = await newProfile();
    const make = async (daysAhead: number) => {
      const { id } = await services.credentials.create(admin, profile.id, {
        type: 'RN',
        expiryDate: addDays(start, daysAhead),
      });
      await services.credentials.decide(
        context('cred', ['credentialing'], new Date(`${start}T00:00:00Z`)),
        id,
        {
          transition: 'verify',
          method: 'x',
        },
      );
      return id;
    };
    const steady = await make(65); // will see 90 (at once), 60, 30, 7 (no run at 14), 0, then expire
    const late = await make(20); // first seen at 20 days: 30 only, then 14, 7, 0, then expire

    // The days something is due, the days after (nothing is), and a repeat of each run.
    const totals = { warned: 0, expired: 0 };
    for (const day of [0, 1, 5, 6, 13, 14, 20, 21, 22, 35, 36, 58, 59, 65, 66, 67]) {
      const first = await services.sweep.run(at(addDays(start, day)));
      const again = await services.sweep.run(at(addDays(start, day)));
      expect(again).toEqual({ examined: again.examined, warned: 0, expired: 0 });
      totals.warned += first.warned;
      totals.expired += first.expired;
    }
    expect(totals).toEqual({ warned: 5 + 4, expired: 2 });
    // create + verify + one write per threshold fired + expire.
    expect(await data.credentials.get(steady)).toMatchObject({
      status: 'expired',
      expiryWarning: 0,
      version: 2 + 5 + 1,
    });
    expect(await data.credentials.get(late)).toMatchObject({
      status: 'expired',
      expiryWarning: 0,
      version: 2 + 4 + 1,
    });
    expect((await data.credentials.get(late))?.lastActor).toMatchObject({
      userId: 'system',
      roles: ['system'],
    });
  }, 180_000);
});
