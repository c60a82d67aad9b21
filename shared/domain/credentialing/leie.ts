/**
 * The OIG LEIE as a primary source: importing a month's file (validated whole first, rows
 * written by month, the active month flipped only once every batch is in) and screening one
 * staff member against the active month: by NPI, then by name and date of birth.
 */
import { newEntityMeta, type ServiceContext } from '../context.ts';
import { Conflict, DependencyUnavailable } from '../errors.ts';
import { type LeieFile, type LeieRow, readLeieFile } from './leie-file.ts';
import type { ExclusionRepository, LeieImport, StoredExclusion } from './ports.ts';
import type { CheckSubject, PrimarySource, SourceAnswer } from './sources.ts';

/** Rows per write batch (DynamoDB BatchWriteItem takes 25). */
export const LEIE_BATCH = 25;
const UNKNOWN_NPI = '0000000000';

/** Case, accents and punctuation do not make a name differ. */
export const nameKeyOf = (last: string, first: string): string =>
  `${last} ${first}`
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** A profile's name as LEIE keys it: its last word, then its first. */
const profileNameKey = (name: string) => {
  const words = name.trim().split(/\s+/);
  return nameKeyOf(words.at(-1) ?? '', words[0] ?? '');
};

const storedRow = (month: string, { row, fields }: LeieRow): StoredExclusion => ({
  month,
  row,
  fields,
  ...(fields.NPI !== UNKNOWN_NPI ? { npi: fields.NPI } : {}),
  ...(fields.LASTNAME !== '' ? { nameKey: nameKeyOf(fields.LASTNAME, fields.FIRSTNAME) } : {}),
});

export interface ImportResult {
  month: string;
  rows: number;
  /** false: this month was already imported from the same file, and nothing was written. */
  written: boolean;
  /** Whether matching now reads this month (false when a newer month is active). */
  active: boolean;
}

export const createLeieImporter = (exclusions: ExclusionRepository) => ({
  /** Validates the whole file (LeieFileInvalid: nothing written), then imports it. */
  importFile: async (context: ServiceContext, text: string, month?: string): Promise<ImportResult> => {
    const file: LeieFile = readLeieFile(text, month);
    const done = await exclusions.importOf(file.month);
    if (done) {
      if (done.sha256 !== file.sha256) {
        throw new Conflict(
          `LEIE ${file.month} was already imported from another file`,
          'leie-month-imported',
        );
      }
      const active = await exclusions.activeImport();
      return { month: file.month, rows: done.rows, written: false, active: active?.month === file.month };
    }
    const rows = file.rows.map((row) => storedRow(file.month, row));
    for (let start = 0; start < rows.length; start += LEIE_BATCH) {
      await exclusions.writeRows(rows.slice(start, start + LEIE_BATCH));
    }
    const record: LeieImport = {
      id: file.month,
      month: file.month,
      sha256: file.sha256,
      rows: rows.length,
      ...newEntityMeta(context, 'import'),
    };
    const { activated } = await exclusions.complete(record);
    return { month: file.month, rows: rows.length, written: true, active: activated };
  },
});

const screen = async (
  exclusions: ExclusionRepository,
  active: LeieImport,
  subject: CheckSubject,
): Promise<{ result: SourceAnswer['result']; matched: StoredExclusion[] }> => {
  const { npi, name, dateOfBirth } = subject.profile;
  const byNpi = npi ? await exclusions.byNpi(active.month, npi) : [];
  if (byNpi.length > 0) return { result: 'match', matched: byNpi };
  const byName = await exclusions.byName(active.month, profileNameKey(name));
  const dob = dateOfBirth?.replace(/-/g, '');
  const sameBirth = byName.filter((row) => dob !== undefined && row.fields.DOB === dob);
  if (sameBirth.length > 0) return { result: 'match', matched: sameBirth };
  return byName.length > 0 ? { result: 'suspected', matched: byName } : { result: 'no_match', matched: [] };
};

export const createLeieSource = (exclusions: ExclusionRepository): PrimarySource => ({
  source: 'leie',
  method: 'file',
  check: async (subject) => {
    const active = await exclusions.activeImport();
    if (!active) throw new DependencyUnavailable('No LEIE file has been imported yet');
    const { result, matched } = await screen(exclusions, active, subject);
    const rows = matched.map((row) => row.row);
    return {
      result,
      sourceRef: `OIG LEIE ${active.month}${rows.length > 0 ? ` rows ${rows.join(', ')}` : ''}`,
      // The screened file by its hash, and the rows that matched as the file had them.
      snapshot: JSON.stringify({
        file: { month: active.month, sha256: active.sha256, rows: active.rows },
        matched: matched.map(({ row, fields }) => ({ row, fields })),
      }),
    };
  },
});
