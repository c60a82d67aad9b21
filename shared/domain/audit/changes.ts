/**
 * Field-level changes between two images of an item: what the ledger records in `changes`.
 * Keys, index keys and bookkeeping are left out (they change with every write and say nothing
 * about the entity); PHI values become "[redacted]" at any depth, so a ledger entry never holds
 * a date of birth, a message body or a note, only the fact that it changed.
 */
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
  return changes;
};
