/**
 * The OIG LEIE monthly file (`UPDATED.csv`), read and validated whole before anything is
 * written: columns by the header row's names, never by position (OIG has renamed the last
 * column before), every row checked, and every problem named by row and column. Pure.
 */
import { createHash } from 'node:crypto';

export const LEIE_COLUMNS = [
  'LASTNAME',
  'FIRSTNAME',
  'MIDNAME',
  'BUSNAME',
  'GENERAL',
  'SPECIALTY',
  'UPIN',
  'NPI',
  'DOB',
  'ADDRESS',
  'CITY',
  'STATE',
  'ZIP',
  'EXCLTYPE',
  'EXCLDATE',
  'REINDATE',
  'WAIVERDATE',
  'WVRSTATE',
] as const;

export type LeieColumn = (typeof LEIE_COLUMNS)[number];

/** One exclusion: the file's row number (the header is row 1) and its fields by column name. */
export interface LeieRow {
  row: number;
  fields: Record<LeieColumn, string>;
}

export interface LeieFile {
  /** `YYYY-MM`: the month of the newest exclusion in the file, unless given. */
  month: string;
  sha256: string;
  rows: LeieRow[];
}

export interface LeieProblem {
  row: number;
  column: string;
  message: string;
}

/** The file is refused: nothing is written. The message names the first problems. */
export class LeieFileInvalid extends Error {
  override name = 'LeieFileInvalid';
  readonly problems: readonly LeieProblem[];
  constructor(problems: readonly LeieProblem[]) {
    const shown = problems.slice(0, 20).map((p) => `row ${p.row}, column ${p.column}: ${p.message}`);
    const more = problems.length > shown.length ? [`…and ${problems.length - shown.length} more`] : [];
    super(['The LEIE file is invalid; nothing was imported.', ...shown, ...more].join('\n'));
    this.problems = problems;
  }
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
export const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    if (quoted) {
      if (char === '"' && source[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[index + 1] === '\n') index += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records.filter((fields) => fields.some((value) => value.trim() !== ''));
};

const isDay = (value: string) => {
  if (!/^\d{8}$/.test(value)) return false;
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso);
};

/** Each column's rule: undefined when the value is fine, else what is wrong. */
const RULES: Partial<Record<LeieColumn, (value: string) => string | undefined>> = {
  NPI: (value) => (/^\d{10}$/.test(value) ? undefined : 'an NPI is ten digits (0000000000 when unknown)'),
  DOB: (value) => (value === '' || isDay(value) ? undefined : 'a date of birth is YYYYMMDD or empty'),
  EXCLDATE: (value) => (isDay(value) ? undefined : 'the exclusion date is required as YYYYMMDD'),
  REINDATE: (value) =>
    value === '' || value === '00000000' || isDay(value) ? undefined : 'YYYYMMDD or 00000000',
  WAIVERDATE: (value) =>
    value === '' || value === '00000000' || isDay(value) ? undefined : 'YYYYMMDD or 00000000',
};

const headerProblems = (header: readonly string[]): LeieProblem[] => {
  const names = header.map((name) => name.trim().toUpperCase());
  const unknown = names.filter((name) => !(LEIE_COLUMNS as readonly string[]).includes(name));
  return LEIE_COLUMNS.filter((column) => !names.includes(column)).map((column) => ({
    row: 1,
    column,
    message: `missing from the header${unknown.length > 0 ? ` (it has ${unknown.join(', ')} instead)` : ''}`,
  }));
};

const rowOf = (
  values: readonly string[],
  positions: ReadonlyMap<LeieColumn, number>,
  row: number,
  problems: LeieProblem[],
): LeieRow => {
  const fields = Object.fromEntries(
    LEIE_COLUMNS.map((column) => [column, (values[positions.get(column) ?? -1] ?? '').trim()]),
  ) as Record<LeieColumn, string>;
  for (const [column, rule] of Object.entries(RULES) as Array<
    [LeieColumn, (value: string) => string | undefined]
  >) {
    const problem = rule(fields[column]);
    if (problem) problems.push({ row, column, message: `"${fields[column]}": ${problem}` });
  }
  if (fields.LASTNAME === '' && fields.BUSNAME === '') {
    problems.push({
      row,
      column: 'LASTNAME',
      message: 'a row names a person (LASTNAME) or a business (BUSNAME)',
    });
  }
  return { row, fields };
};

/** The whole file, validated; throws LeieFileInvalid naming every problem. */
export const readLeieFile = (text: string, month?: string): LeieFile => {
  const [header = [], ...records] = parseCsv(text);
  const problems = headerProblems(header);
  if (problems.length > 0) throw new LeieFileInvalid(problems);
  const positions = new Map(
    header.map((name, index) => [name.trim().toUpperCase() as LeieColumn, index] as const),
  );
  const rows = records.map((values, index) => {
    const row = index + 2;
    if (values.length !== header.length) {
      problems.push({
        row,
        column: '*',
        message: `${values.length} fields where the header has ${header.length}`,
      });
    }
    return rowOf(values, positions, row, problems);
  });
  if (rows.length === 0) problems.push({ row: 2, column: '*', message: 'the file has no rows' });
  if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    problems.push({ row: 0, column: 'month', message: `"${month}" is not YYYY-MM` });
  }
  if (problems.length > 0) throw new LeieFileInvalid(problems);
  const newest =
    rows
      .map(({ fields }) => fields.EXCLDATE)
      .sort()
      .at(-1) ?? '';
  return {
    month: month ?? `${newest.slice(0, 4)}-${newest.slice(4, 6)}`,
    sha256: createHash('sha256').update(text).digest('hex'),
    rows,
  };
};
