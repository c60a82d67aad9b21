/**
 * The LEIE store against DynamoDB Local, on a table of its own (the active-month pointer is one
 * item for everyone): the sample file imported through the importer, found by NPI and by name,
 * re-imported without a write, and the pointer never moved back to an older month; the monthly
 * download fetching the file from the twin's stub and importing it once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAIN_TABLE } from '#data/tables.ts';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import type { ExclusionRepository } from '#domain/credentialing/ports.ts';
import { DependencyUnavailable } from '#domain/errors.ts';
import { LEIE_FIXTURE_PATH, startNppesStub } from '../../local/nppes-stub.ts';
import { ensureTable } from '../../local/tables.ts';
import { removeTestDirs, startTestDynamoDb, stubRepositoryEnv, testDir } from './helpers.ts';

const tableName = 'LeieTest';
const SAMPLE = readFileSync(join(import.meta.dirname, '../../local/fixtures/leie-sample.csv'), 'utf8');
const context = { actor: SYSTEM_ACTOR, now: new Date('2025-12-02T06:00:00Z'), requestId: 'leie-it' };

let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let repository: ExclusionRepository;
let importer: ReturnType<typeof import('#domain/credentialing/leie.ts')['createLeieImporter']>;

beforeAll(async () => {
  ddb = await startTestDynamoDb('leie');
  const { stream: _noStream, ...withoutStream } = MAIN_TABLE;
  await ensureTable(ddb.client, withoutStream, tableName);
  stubRepositoryEnv(ddb.endpoint, tableName);
  ({ exclusionRepository: repository } = await import('#data/leie.ts'));
  importer = (await import('#domain/credentialing/leie.ts')).createLeieImporter(repository);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await ddb?.client.send(new DeleteTableCommand({ TableName: tableName }));
  await ddb?.stop();
});

describe('the LEIE store', () => {
  it('imports a month, finds rows by NPI and by name, and re-imports without a change', async () => {
    expect(await repository.activeImport()).toBeUndefined();

    const first = await importer.importFile(context, SAMPLE);
    const again = await importer.importFile({ ...context, now: new Date('2025-12-09T06:00:00Z') }, SAMPLE);

    expect(first).toEqual({ month: '2025-11', rows: 5, written: true, active: true });
    expect(again).toEqual({ month: '2025-11', rows: 5, written: false, active: true });
    expect(await repository.activeImport()).toMatchObject({ month: '2025-11', rows: 5, version: 1 });
    expect((await repository.byNpi('2025-11', '1205673415')).map((row) => row.row)).toEqual([4]);
    expect((await repository.byName('2025-11', 'QUILL TOMAS')).map((row) => row.fields.DOB)).toEqual([
      '19850704',
    ]);
    expect(await repository.byNpi('2025-11', '0000000000')).toEqual([]);
  });

  it('keeps the newer month active when an older file is imported after it', async () => {
    const october = SAMPLE.replace(/202511(\d\d)/g, '202510$1');

    const older = await importer.importFile(context, october);

    expect(older).toMatchObject({ month: '2025-10', written: true, active: false });
    expect((await repository.activeImport())?.month).toBe('2025-11');
  });
});

describe('the monthly LEIE download', () => {
  const event = (time: string) =>
    ({ id: `leie-${time}`, time, source: 'aws.events' }) as unknown as import('aws-lambda').ScheduledEvent;

  it('fetches the file from the configured URL and imports it once, as the scheduled function', async () => {
    // Prepare: the twin's stub serves a December file as OIG's UPDATED.csv.
    const dir = testDir('leie-download');
    const december = join(dir, 'UPDATED.csv');
    writeFileSync(december, SAMPLE.replace(/202511(\d\d)/g, '202512$1'));
    const stub = await startNppesStub(0, undefined, december);
    vi.stubEnv('LEIE_DOWNLOAD_URL', new URL(LEIE_FIXTURE_PATH, stub.url).toString());
    // The stub listens on loopback, which only the twin's outbound rules allow.
    vi.stubEnv('PRIMARY_SOURCE_LOCAL_TARGETS', 'true');
    vi.stubEnv('DOCUMENTS_BUCKET_NAME', 'documents-test');
    const { handler } = await import('../../functions/schedule/leie-download.ts');

    try {
      // Act
      const first = await handler(event('2026-01-02T05:00:00Z'));
      const rerun = await handler(event('2026-01-02T05:00:00Z'));

      // Assess
      expect(first).toEqual({ month: '2025-12', rows: 5, written: true, active: true });
      expect(rerun).toEqual({ month: '2025-12', rows: 5, written: false, active: true });
      expect((await repository.activeImport())?.month).toBe('2025-12');
    } finally {
      await stub.stop();
      removeTestDirs();
    }
  });

  it('fails loudly (for the retry and the alarm) when the source cannot be reached', async () => {
    const { downloadLeieFile } = await import('#data/leie-download.ts');
    vi.stubEnv('PRIMARY_SOURCE_LOCAL_TARGETS', 'true');
    await expect(downloadLeieFile('http://127.0.0.1:9/UPDATED.csv')).rejects.toBeInstanceOf(
      DependencyUnavailable,
    );
  });
});
