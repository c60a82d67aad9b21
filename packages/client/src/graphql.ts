/**
 * `graphql()`: one operation over `POST /graphql` through the typed client (so the session's
 * token, refresh and retry apply). Errors carry REST's problem in `extensions` (`type`, `status`,
 * `requestId`): a UI branches on them as it does on problem+json.
 *
 * Documents come from the `graphql` tag below (gql.tada over the served schema's introspection,
 * `generated/graphql-env.d.ts`): the result and variables types are inferred from the document,
 * and a field the schema lacks fails type-checking. No build step, no codegen per query.
 */
import { print } from '@0no-co/graphql.web';
import { initGraphQLTada, type ResultOf, type TadaDocumentNode, type VariablesOf } from 'gql.tada';
import type { Client } from 'openapi-fetch';
import { ShiftlineError } from './auth.ts';
import type { introspection } from './generated/graphql-env.js';
import type { components, paths } from './generated/openapi.ts';

type Schemas = components['schemas'];
export type GraphqlError = NonNullable<Schemas['GraphqlResponse']['errors']>[number];

/** The `JSON` scalar: what a route's 204 or free-form answer holds; the caller narrows it. */
export type GraphqlJson =
  | string
  | number
  | boolean
  | null
  | readonly GraphqlJson[]
  | { readonly [key: string]: GraphqlJson };

/** The tag for Shiftline's documents: `graphql('query { me { id } }')`, typed from the schema. */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { JSON: GraphqlJson };
}>();

export type { ResultOf, VariablesOf };

export interface GraphqlResult<TData> {
  /** What the operation answered; fields refused or failed are null, with an error each. */
  data: TData | null;
  errors: GraphqlError[];
}

// biome-ignore lint/suspicious/noExplicitAny: gql.tada's own bound for "any document" (its types are invariant).
export type GraphqlDocument = TadaDocumentNode<any, any>;

/**
 * True when a selected field is not in the schema: gql.tada types such a field `unknown` (its
 * editor plugin reports it; tsc alone would not), and no field of the schema is `unknown`.
 */
type HasUnknownField<T> = unknown extends T
  ? true
  : [T] extends [GraphqlJson]
    ? [GraphqlJson] extends [T]
      ? false
      : HasUnknownFieldIn<T>
    : HasUnknownFieldIn<T>;
type HasUnknownFieldIn<T> = T extends readonly (infer Item)[]
  ? HasUnknownField<Item>
  : T extends object
    ? true extends { [Key in keyof T]-?: HasUnknownField<T[Key]> }[keyof T]
      ? true
      : false
    : false;

/** What a document with a field outside the schema is refused as (the message is the key). */
export type SchemaChecked<TDocument extends GraphqlDocument> =
  true extends HasUnknownField<ResultOf<TDocument>>
    ? { 'a selected field is not in the Shiftline schema (see its type: unknown)': ResultOf<TDocument> }
    : unknown;

/** Variables may be left out only when the operation declares none required. */
export type GraphqlVariablesArgument<TDocument extends GraphqlDocument> =
  Record<string, never> extends VariablesOf<TDocument>
    ? [variables?: VariablesOf<TDocument>]
    : [variables: VariablesOf<TDocument>];

export const createGraphql =
  (api: Client<paths>) =>
  async <TDocument extends GraphqlDocument>(
    document: TDocument & SchemaChecked<TDocument>,
    ...[variables]: GraphqlVariablesArgument<TDocument>
  ): Promise<GraphqlResult<ResultOf<TDocument>>> => {
    const { data, error, response } = await api.POST('/graphql', {
      body: { query: print(document), ...(variables === undefined ? {} : { variables }) },
    });
    // 400 (a parse error, a limit) still answers GraphQL errors; 401/403/413 answer a problem.
    const answer = (data ?? error) as Schemas['GraphqlResponse'] | undefined;
    if (answer === undefined || Array.isArray(answer) || !('data' in answer || 'errors' in answer))
      throw new ShiftlineError(response.status, error, response.headers);
    return { data: (answer.data ?? null) as ResultOf<TDocument> | null, errors: answer.errors ?? [] };
  };
