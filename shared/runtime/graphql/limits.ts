/**
 * Hostile-input limits, checked on the parsed document before validation and execution (the
 * lessons of Parse Server's GraphQL advisories: depth, alias and batch bombs). A walk of the
 * syntax tree only: nothing here reads data, so a refused request never touches DynamoDB.
 */
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export const GRAPHQL_LIMITS = {
  /** Nested selection sets, fragments followed. */
  maxDepth: 10,
  /** Aliased fields in one document: aliases are how one field is asked for a thousand times. */
  maxAliases: 30,
  /** Fields weighted by the page sizes above them (a page of 100 items costs 100 × its fields). */
  maxCost: 5_000,
  /** Operations in one batched request. */
  maxOperations: 10,
  /** Lexer tokens in one document, so a huge document is refused while parsing. */
  maxTokens: 5_000,
} as const;

/** The page size a list field is charged for when its `limit` is absent or a variable. */
const DEFAULT_CHARGED_PAGE = 25;

export interface LimitBreach {
  message: string;
}

interface Walk {
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Readonly<Record<string, unknown>>;
  aliases: number;
}

const pageSizeOf = (field: FieldNode, variables: Walk['variables']): number | undefined => {
  const limit = field.arguments?.find((argument) => argument.name.value === 'limit');
  if (limit === undefined) return undefined;
  const value: ValueNode = limit.value;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const bound = variables[value.name.value];
    return typeof bound === 'number' ? bound : DEFAULT_CHARGED_PAGE;
  }
  return DEFAULT_CHARGED_PAGE;
};

/** Depth and cost of a selection set; `seen` stops fragment cycles (validation rejects them later). */
const measure = (
  set: SelectionSetNode | undefined,
  walk: Walk,
  seen: ReadonlySet<string>,
): { depth: number; cost: number } => {
  if (set === undefined) return { depth: 0, cost: 0 };
  let depth = 0;
  let cost = 0;
  for (const selection of set.selections) {
    let inner: { depth: number; cost: number };
    if (selection.kind === Kind.FIELD) {
      if (selection.alias !== undefined) walk.aliases += 1;
      const child = measure(selection.selectionSet, walk, seen);
      const page = pageSizeOf(selection, walk.variables) ?? 1;
      // Introspection nests `ofType` 8 deep (GraphiQL's own query is 15 levels): its depth is
      // graphql-js's MaxIntrospectionDepthRule's to bound, and where it is off it is refused anyway.
      const introspection = selection.name.value.startsWith('__');
      inner = {
        depth: introspection ? 0 : child.depth + (selection.selectionSet === undefined ? 0 : 1),
        cost: 1 + page * child.cost,
      };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, walk, seen);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      inner =
        fragment === undefined || seen.has(name)
          ? { depth: 0, cost: 0 }
          : measure(fragment.selectionSet, walk, new Set([...seen, name]));
    }
    depth = Math.max(depth, inner.depth);
    cost += inner.cost;
  }
  return { depth, cost };
};

/** The first limit the document breaks, or undefined. */
export const limitBreachOf = (
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> = {},
): LimitBreach | undefined => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const walk: Walk = { fragments, variables, aliases: 0 };
  for (const operation of operations) {
    const { depth, cost } = measure(operation.selectionSet, walk, new Set());
    // The operation's own selection set is level 1.
    if (depth + 1 > GRAPHQL_LIMITS.maxDepth)
      return { message: `The query is ${depth + 1} levels deep; the limit is ${GRAPHQL_LIMITS.maxDepth}` };
    if (cost > GRAPHQL_LIMITS.maxCost)
      return {
        message: `The query costs ${cost}; the budget is ${GRAPHQL_LIMITS.maxCost} (smaller pages cost less)`,
      };
  }
  if (walk.aliases > GRAPHQL_LIMITS.maxAliases)
    return { message: `The document has ${walk.aliases} aliases; the limit is ${GRAPHQL_LIMITS.maxAliases}` };
  return undefined;
};
