/**
 * Keys as data: a key is a prefix and the record fields that follow it, joined with `#`
 * (`{ prefix: 'USER', fields: ['ownerUserId'] }` → `USER#<sub>`). This module turns such
 * templates into key strings, whole (for items) or as a leading part (for queries).
 */
import type { MainIndexName } from './tables.ts';

export interface KeyTemplate<F extends string = string> {
  /** Literal text first (from PREFIX), itself possibly several `#`-joined parts. */
  prefix?: string;
  /** The fields whose values follow the prefix, in order. */
  fields: readonly F[];
}

/** An index of an entity: which physical Main index, its key templates, and when an item is in it. */
export interface IndexTemplate<T, F extends string = string> {
  index: MainIndexName;
  pk: KeyTemplate<F>;
  sk: KeyTemplate<F>;
  /** Sparse indexes: the item carries this index's keys only when this holds. */
  when?: (record: T) => boolean;
}

/** How a field's value appears in keys (default: its text). */
export type FieldFormats = Record<string, (value: never) => string>;

export const SEPARATOR = '#';

/** Joins a prefix and parts with `#`: the only way key strings are built. */
export const key = (prefix: string, ...parts: readonly string[]): string =>
  [prefix, ...parts].join(SEPARATOR);

const textOf = (field: string, value: unknown, formats: FieldFormats | undefined): string => {
  const format = formats?.[field] as ((value: unknown) => string) | undefined;
  return format ? format(value) : String(value);
};

/** The template's values present in order, stopping at the first absent one. */
const leadingParts = (template: KeyTemplate, values: Record<string, unknown>, formats?: FieldFormats) => {
  const parts: string[] = template.prefix === undefined ? [] : [template.prefix];
  for (const field of template.fields) {
    const value = values[field];
    if (value === undefined) return { parts, complete: false };
    parts.push(textOf(field, value, formats));
  }
  return { parts, complete: true };
};

/** The whole key, or undefined when a field has no value (the item is not in that index). */
export const wholeKey = (
  template: KeyTemplate,
  values: Record<string, unknown>,
  formats?: FieldFormats,
): string | undefined => {
  const { parts, complete } = leadingParts(template, values, formats);
  return complete ? parts.join(SEPARATOR) : undefined;
};

/**
 * What a query's sort key starts with, given some leading fields: the whole key when every
 * field is given (`exact`), else the parts so far with a closing `#` (so `CRED#active#` never
 * matches `CRED#activeX`), or nothing when there is neither prefix nor field.
 */
export const leadingKey = (
  template: KeyTemplate,
  values: Record<string, unknown>,
  formats?: FieldFormats,
): { text: string; exact: boolean } | undefined => {
  const { parts, complete } = leadingParts(template, values, formats);
  if (parts.length === 0) return undefined;
  const text = parts.join(SEPARATOR);
  return complete ? { text, exact: true } : { text: `${text}${SEPARATOR}`, exact: false };
};

/** A key that must be whole (a partition key, a primary key): a missing field is a bug. */
export const requiredKey = (
  template: KeyTemplate,
  values: Record<string, unknown>,
  formats?: FieldFormats,
): string => {
  const text = wholeKey(template, values, formats);
  if (text === undefined)
    throw new Error(`key ${template.prefix ?? ''} needs ${template.fields.join(', ')}: a value is missing`);
  return text;
};
