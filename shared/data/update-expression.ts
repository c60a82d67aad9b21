/**
 * One UpdateItem's expression from the attributes to set and remove, with placeholder names
 * and values throughout (so reserved words such as `status` and `name` need no care), merged
 * with a condition's own placeholders.
 */
export interface UpdateParts {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

export interface UpdateSpec {
  set?: Record<string, unknown>;
  remove?: readonly string[];
  /** Attributes increased by one (`version`). */
  increment?: readonly string[];
}

export const updateOf = (
  spec: UpdateSpec,
  condition?: { names?: Record<string, string>; values?: Record<string, unknown> },
): UpdateParts => {
  const names: Record<string, string> = { ...condition?.names };
  const values: Record<string, unknown> = { ...condition?.values };
  const sets = Object.entries(spec.set ?? {}).map(([attribute, value], index) => {
    names[`#u${index}`] = attribute;
    values[`:u${index}`] = value;
    return `#u${index} = :u${index}`;
  });
  for (const [index, attribute] of (spec.increment ?? []).entries()) {
    names[`#i${index}`] = attribute;
    values[':one'] = 1;
    sets.push(`#i${index} = #i${index} + :one`);
  }
  const removes = (spec.remove ?? []).map((attribute, index) => {
    names[`#r${index}`] = attribute;
    return `#r${index}`;
  });
  const clauses = [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
  ].filter((clause) => clause !== '');
  return {
    UpdateExpression: clauses.join(' '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
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
