/**
 * Condition, filter and key-condition expressions as data: each clause names its attributes
 * and values, and one placeholder set gives every name a `#c<n>` and every value a `:c<n>`,
 * so reserved words (`status`, `name`, `ttl`) and dotted paths (`document.status`) need no care
 * and no two clauses can collide.
 */

/** Allocates placeholders for one expression set (a condition, a filter, a key condition). */
export class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  readonly #namesSeen = new Map<string, string>();
  readonly #prefix: string;

  constructor(prefix = 'c') {
    this.#prefix = prefix;
  }

  /** `#c0` for `status`, `#c1.#c2` for `document.status`. */
  name(path: string): string {
    return path
      .split('.')
      .map((part) => {
        const known = this.#namesSeen.get(part);
        if (known !== undefined) return known;
        const placeholder = `#${this.#prefix}${this.#namesSeen.size}`;
        this.#namesSeen.set(part, placeholder);
        this.names[placeholder] = part;
        return placeholder;
      })
      .join('.');
  }

  value(value: unknown): string {
    const placeholder = `:${this.#prefix}${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    return placeholder;
  }
}

/** One clause of a condition: renders itself with the expression's placeholders. */
export type Clause = (placeholders: Placeholders) => string;

/** The item's partition key attribute: present exactly when the item exists. */
const ITEM = 'pk';

/** The clauses conditions and filters are made of. */
export const is = {
  /** The item (or, given a path, the attribute) exists. */
  present:
    (path = ITEM): Clause =>
    (p) =>
      `attribute_exists(${p.name(path)})`,
  /** The item (or, given a path, the attribute) does not exist. */
  absent:
    (path = ITEM): Clause =>
    (p) =>
      `attribute_not_exists(${p.name(path)})`,
  equal:
    (path: string, value: unknown): Clause =>
    (p) =>
      `${p.name(path)} = ${p.value(value)}`,
  oneOf:
    (path: string, values: readonly unknown[]): Clause =>
    (p) =>
      `${p.name(path)} IN (${values.map((value) => p.value(value)).join(', ')})`,
  below:
    (path: string, value: unknown): Clause =>
    (p) =>
      `${p.name(path)} < ${p.value(value)}`,
  atMost:
    (path: string, value: unknown): Clause =>
    (p) =>
      `${p.name(path)} <= ${p.value(value)}`,
  above:
    (path: string, value: unknown): Clause =>
    (p) =>
      `${p.name(path)} > ${p.value(value)}`,
  /** The attribute holds DynamoDB's type `type` (e.g. `NULL`). */
  ofType:
    (path: string, type: string): Clause =>
    (p) =>
      `attribute_type(${p.name(path)}, ${p.value(type)})`,
  /** A set or list attribute holds the value. */
  holding:
    (path: string, value: unknown): Clause =>
    (p) =>
      `contains(${p.name(path)}, ${p.value(value)})`,
  sizeBelow:
    (path: string, size: number): Clause =>
    (p) =>
      `size(${p.name(path)}) < ${p.value(size)}`,
  sizeIs:
    (path: string, size: number): Clause =>
    (p) =>
      `size(${p.name(path)}) = ${p.value(size)}`,
  not:
    (clause: Clause): Clause =>
    (p) =>
      `NOT ${clause(p)}`,
  any:
    (...clauses: Clause[]): Clause =>
    (p) =>
      `(${clauses.map((clause) => clause(p)).join(' OR ')})`,
} as const;

/** The clauses joined with AND into one expression; undefined when there are none. */
export const render = (clauses: readonly Clause[], placeholders: Placeholders): string | undefined =>
  clauses.length === 0 ? undefined : clauses.map((clause) => clause(placeholders)).join(' AND ');

/** The placeholder maps of a request, leaving out empty ones (DynamoDB refuses an empty map). */
export const placeholderMaps = (placeholders: Placeholders) => ({
  ...(Object.keys(placeholders.names).length > 0 ? { ExpressionAttributeNames: placeholders.names } : {}),
  ...(Object.keys(placeholders.values).length > 0 ? { ExpressionAttributeValues: placeholders.values } : {}),
});
