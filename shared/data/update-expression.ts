/**
 * One UpdateItem's expression from the attributes to set, increase, add to, delete from and
 * remove, rendered with the request's placeholders (shared with its condition).
 */
import type { Placeholders } from './conditions.ts';

export interface UpdateSpec {
  set?: Record<string, unknown>;
  remove?: readonly string[];
  /** Attributes increased by one, counting from zero when absent (`version`, counters). */
  increment?: readonly string[];
  /** Values added to set attributes (ADD): adding a value twice is a no-op. */
  addToSet?: Record<string, ReadonlySet<string>>;
  /** Values taken out of set attributes (DELETE). */
  deleteFromSet?: Record<string, ReadonlySet<string>>;
}

export const renderUpdate = (spec: UpdateSpec, p: Placeholders): string => {
  const sets = [
    ...Object.entries(spec.set ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([path, value]) => `${p.name(path)} = ${p.value(value)}`),
    ...(spec.increment ?? []).map((path) => {
      const name = p.name(path);
      return `${name} = if_not_exists(${name}, ${p.value(0)}) + ${p.value(1)}`;
    }),
  ];
  const setPairs = (values: Record<string, ReadonlySet<string>> | undefined) =>
    Object.entries(values ?? {}).map(([path, set]) => `${p.name(path)} ${p.value(set)}`);
  const clauses: Array<[string, string[]]> = [
    ['SET', sets],
    ['REMOVE', (spec.remove ?? []).map((path) => p.name(path))],
    ['ADD', setPairs(spec.addToSet)],
    ['DELETE', setPairs(spec.deleteFromSet)],
  ];
  return clauses
    .filter(([, parts]) => parts.length > 0)
    .map(([action, parts]) => `${action} ${parts.join(', ')}`)
    .join(' ');
};

/** The attributes whose values differ between two items: what to set and what to remove. */
export const differences = (
  previous: Record<string, unknown>,
  next: Record<string, unknown>,
): { set: Record<string, unknown>; remove: string[] } => {
  const set: Record<string, unknown> = {};
  for (const [attribute, value] of Object.entries(next)) {
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(previous[attribute]))
      set[attribute] = value;
  }
  const remove = Object.keys(previous).filter(
    (attribute) => previous[attribute] !== undefined && next[attribute] === undefined,
  );
  return { set, remove };
};
