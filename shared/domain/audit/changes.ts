/**
 * Field-level changes between two images of an item: what the ledger records in `changes`.
 * Keys, index keys and bookkeeping are left out (they change with every write and say nothing
 * about the entity); PHI values become "[redacted]" at any depth, so a ledger entry never holds
 * a date of birth, a message body or a note, only the fact that it changed.
 *
 * Entries are bounded whatever the item holds, so no change can make an entry DynamoDB refuses
 * (and so freeze its chain): a value over 8 KB is recorded as `{ sha256, bytes }` (the value
 * itself stays in its item), and when the changes together still exceed their budget the
 * largest values are digested too, down to one digest of all of them.
 */
import { createHash } from 'node:crypto';
import { isPhiKey, REDACTED, redactPhi } from '../phi.ts';
import { canonicalJson, type FieldChange } from './entry.ts';

export type Image = Record<string, unknown>;

/** Attributes that are not the entity's data: keys, index keys, item bookkeeping. */
export const META_FIELDS: ReadonlySet<string> = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'kind',
  'version',
  'createdAt',
  'updatedAt',
  'lastActor',
  'ttl',
]);

// Canonical JSON, so two maps with the same content in another key order are the same value.
const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b));

const recorded = (field: string, value: unknown): unknown => {
  if (value === undefined || value === null) return null;
  return isPhiKey(field) ? REDACTED : redactPhi(value);
};

/** A recorded value over this many bytes (UTF-8 of its canonical JSON) is recorded as its digest. */
export const LARGE_VALUE_BYTES = 8 * 1024;
/** What all changes of one entry may take; with the rest of an entry well under 64 KB. */
export const CHANGES_BUDGET_BYTES = 48 * 1024;
/** The field an entry's changes collapse into when even their digests exceed the budget. */
export const ALL_FIELDS = '*';

/** A value the ledger records by its digest: SHA-256 (hex) and length of its UTF-8 bytes. */
export interface ValueDigest {
  sha256: string;
  bytes: number;
}

const bytesOf = (value: unknown): number => Buffer.byteLength(canonicalJson(value), 'utf8');

/** A string is digested as its own text (hash the terms to compare); anything else as canonical JSON. */
export const digestOf = (value: unknown): ValueDigest => {
  const bytes = Buffer.from(typeof value === 'string' ? value : canonicalJson(value), 'utf8');
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
};

const bounded = (value: unknown): unknown => (bytesOf(value) > LARGE_VALUE_BYTES ? digestOf(value) : value);

const DIGEST_BYTES = bytesOf(digestOf(''));

const collapsed = (changes: Record<string, FieldChange>): Record<string, FieldChange> => {
  const side = (which: 'from' | 'to') =>
    digestOf(Object.fromEntries(Object.entries(changes).map(([field, change]) => [field, change[which]])));
  return { [ALL_FIELDS]: { from: side('from'), to: side('to') } };
};

/** Changes within their budget: the largest values digested first, then everything as one digest. */
export const boundChanges = (changes: Record<string, FieldChange>): Record<string, FieldChange> => {
  const result: Record<string, FieldChange> = {};
  const values: { field: string; side: 'from' | 'to'; bytes: number }[] = [];
  // Each value's size once (what a field costs besides its values is its name and punctuation).
  let total = 2;
  for (const [field, change] of Object.entries(changes)) {
    const bounds = { from: bounded(change.from), to: bounded(change.to) };
    result[field] = bounds;
    total += bytesOf(field) + 20;
    for (const side of ['from', 'to'] as const) {
      const bytes = bytesOf(bounds[side]);
      total += bytes;
      if (bytes > DIGEST_BYTES) values.push({ field, side, bytes });
    }
  }
  values.sort((a, b) => b.bytes - a.bytes);
  for (const { field, side, bytes } of values) {
    if (total <= CHANGES_BUDGET_BYTES) break;
    const change = result[field] as FieldChange;
    result[field] = { ...change, [side]: digestOf(change[side]) };
    total += DIGEST_BYTES - bytes;
  }
  return bytesOf(result) > CHANGES_BUDGET_BYTES ? collapsed(changes) : result;
};

/** `{ field: { from, to } }` for every data field that differs; absent values are `null`. */
export const diffImages = (oldImage: Image | undefined, newImage: Image): Record<string, FieldChange> => {
  const before = oldImage ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(newImage)])]
    .filter((field) => !META_FIELDS.has(field))
    .sort();
  const changes: Record<string, FieldChange> = {};
  for (const field of fields) {
    if (sameValue(before[field], newImage[field])) continue;
    changes[field] = { from: recorded(field, before[field]), to: recorded(field, newImage[field]) };
  }
  return boundChanges(changes);
};
