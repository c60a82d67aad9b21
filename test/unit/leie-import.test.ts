/**
 * The OIG LEIE importer and screen. Done when:
 * - a renamed column is a clear error naming row 1 and the column, and nothing is written;
 * - a malformed row is an error naming its row and column, and nothing is written;
 * - a re-import of the same month changes nothing;
 * - matching reads the new month only once every batch is in, and never moves back a month;
 * - a screen finds by NPI, then by name and date of birth (match), by name only (suspected).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import { createLeieImporter, createLeieSource, LEIE_BATCH } from '#domain/credentialing/leie.ts';
import { LeieFileInvalid, parseCsv, readLeieFile } from '#domain/credentialing/leie-file.ts';
import type { CheckSubject } from '#domain/credentialing/sources.ts';
import { Conflict, DependencyUnavailable } from '#domain/errors.ts';
import { createInMemoryExclusions } from './support/credentialing-fakes.ts';

const SAMPLE = readFileSync(join(import.meta.dirname, '../../local/fixtures/leie-sample.csv'), 'utf8');
const context = { actor: SYSTEM_ACTOR, now: new Date('2025-12-02T06:00:00Z'), requestId: 'leie-test' };
const [HEADER = '', ...ROWS] = SAMPLE.trimEnd().split('\n');

let exclusions: ReturnType<typeof createInMemoryExclusions>;
let importer: ReturnType<typeof createLeieImporter>;

beforeEach(() => {
  exclusions = createInMemoryExclusions();
  importer = createLeieImporter(exclusions.repository);
});

const refusal = async (text: string) => {
  const error = await importer.importFile(context, text).catch((e) => e);
  expect(error).toBeInstanceOf(LeieFileInvalid);
  expect(exclusions.state.writes).toBe(0);
  return error as LeieFileInvalid;
};

describe('reading the file', () => {
  it('reads columns by the header, quoted commas included, and takes the month of the newest exclusion', () => {
    const file = readLeieFile(SAMPLE);
    expect(file.month).toBe('2025-11');
    expect(file.rows).toHaveLength(5);
    expect(file.rows[0]).toMatchObject({
      row: 2,
      fields: { LASTNAME: 'HALVORSEN', ADDRESS: '1420 PINE ST, APT 4' },
    });
    expect(file.rows[1]?.fields.BUSNAME).toBe('SUNRISE HOME HEALTH, LLC');
    expect(parseCsv('a,"b ""q"" c"\r\n1,2\r\n')).toEqual([
      ['a', 'b "q" c'],
      ['1', '2'],
    ]);
  });

  it('reads columns in any order: positions are never assumed', () => {
    const columns = HEADER.split(',');
    const row: Record<string, string> = { LASTNAME: 'DOE', NPI: '0000000000', EXCLDATE: '20251101' };
    const reversed = [
      columns.toReversed().join(','),
      columns
        .toReversed()
        .map((c) => row[c] ?? '')
        .join(','),
    ];
    expect(readLeieFile(reversed.join('\n')).rows[0]?.fields).toMatchObject({
      LASTNAME: 'DOE',
      EXCLDATE: '20251101',
    });
  });
});

describe('importer: done when', () => {
  it('a renamed column is an error naming row 1 and the column, and nothing is written', async () => {
    const error = await refusal(SAMPLE.replace('WVRSTATE', 'WAIVERSTATE'));
    expect(error.problems).toEqual([
      { row: 1, column: 'WVRSTATE', message: 'missing from the header (it has WAIVERSTATE instead)' },
    ]);
    expect(error.message).toContain('row 1, column WVRSTATE');
  });

  it('a malformed row is an error naming its row and column, and nothing is written', async () => {
    const broken = [
      HEADER,
      ROWS[0],
      ROWS[1]?.replace('20251105', '2025-11-05'),
      ROWS[2]?.replace('19740618', '19741340'),
    ];
    const error = await refusal(`${broken.join('\n')}\nSHORT,ROW\n`);
    expect(error.problems).toEqual([
      { row: 3, column: 'EXCLDATE', message: '"2025-11-05": the exclusion date is required as YYYYMMDD' },
      { row: 4, column: 'DOB', message: '"19741340": a date of birth is YYYYMMDD or empty' },
      { row: 5, column: '*', message: '2 fields where the header has 18' },
      expect.objectContaining({ row: 5, column: 'NPI' }),
      expect.objectContaining({ row: 5, column: 'EXCLDATE' }),
    ]);
  });

  it('a re-import of the same month changes nothing; another file for that month is refused', async () => {
    const first = await importer.importFile(context, SAMPLE);
    const writes = exclusions.state.writes;
    const again = await importer.importFile({ ...context, now: new Date('2025-12-03T06:00:00Z') }, SAMPLE);
    expect(first).toEqual({ month: '2025-11', rows: 5, written: true, active: true });
    expect(again).toEqual({ month: '2025-11', rows: 5, written: false, active: true });
    expect(exclusions.state.writes).toBe(writes);
    expect(exclusions.imports.get('2025-11')?.createdAt).toBe('2025-12-02T06:00:00.000Z');
    const other = importer.importFile(context, `${SAMPLE}ZED,ANN,,,,,,0000000000,,,,,,1128a1,20251101,,,\n`);
    await expect(other).rejects.toBeInstanceOf(Conflict);
  });

  it('matching reads a month only once every batch is in, and an older month never replaces a newer one', async () => {
    // Prepare: a file of three batches whose second batch fails.
    const many = Array.from(
      { length: LEIE_BATCH * 2 + 3 },
      (_, i) => `ROW${i},ANN,,,,,,0000000000,,,,,,1128a1,20251201,00000000,00000000,`,
    );
    const december = `${HEADER}\n${many.join('\n')}\n`;
    exclusions.state.failBatchAt = 2;

    // Act
    await expect(importer.importFile(context, december)).rejects.toThrow('throttled');
    const whileIncomplete = await exclusions.repository.activeImport();
    const resumed = await importer.importFile(context, december);
    const older = await importer.importFile(context, SAMPLE);

    // Assess
    expect(whileIncomplete).toBeUndefined();
    expect(resumed).toMatchObject({ month: '2025-12', rows: many.length, written: true, active: true });
    expect(older).toMatchObject({ month: '2025-11', written: true, active: false });
    expect((await exclusions.repository.activeImport())?.month).toBe('2025-12');
  });
});

describe('the LEIE screen', () => {
  const subject = (name: string, extra: { npi?: string; dateOfBirth?: string } = {}): CheckSubject => ({
    profile: {
      id: '01J00000000000000000STAFF1',
      userId: 'u',
      name,
      ...extra,
      email: 'x@example.org',
      isActive: true,
      version: 1,
      createdAt: '',
      updatedAt: '',
      lastActor: { userId: 'x', roles: [], requestId: 'r', action: 'create' },
    },
    activeCredentials: [],
  });

  it('answers error before any import, then match by NPI, by name and birth date, suspected by name only', async () => {
    const source = createLeieSource(exclusions.repository);
    await expect(source.check(subject('Daniel Abernathy'))).rejects.toBeInstanceOf(DependencyUnavailable);
    await importer.importFile(context, SAMPLE);

    const byNpi = await source.check(subject('Dan Smith', { npi: '1205673415' }));
    const byBirth = await source.check(subject('Tomás Quill', { dateOfBirth: '1985-07-04' }));
    const nameOnly = await source.check(subject('Hollis Vance', { dateOfBirth: '1990-02-01' }));
    const clean = await source.check(subject('Ada Lovelace', { npi: '1043567894' }));

    expect(byNpi).toMatchObject({ result: 'match', sourceRef: 'OIG LEIE 2025-11 rows 4' });
    expect(JSON.parse(byNpi.snapshot)).toMatchObject({
      file: { month: '2025-11', rows: 5 },
      matched: [{ row: 4, fields: { LASTNAME: 'ABERNATHY' } }],
    });
    expect(byBirth).toMatchObject({ result: 'match', sourceRef: 'OIG LEIE 2025-11 rows 5' });
    expect(nameOnly).toMatchObject({ result: 'suspected', sourceRef: 'OIG LEIE 2025-11 rows 6' });
    expect(clean).toMatchObject({ result: 'no_match', sourceRef: 'OIG LEIE 2025-11' });
  });
});
