/**
 * `graphql()`: one operation over `POST /graphql` through the typed client (so the session's
 * token, refresh and retry apply). Errors carry REST's problem in `extensions` (`type`, `status`,
 * `requestId`): a UI branches on them as it does on problem+json.
 *
 * The result type is the caller's `TData`: inferring it from the query text needs a GraphQL
 * type engine (gql.tada or GraphQL Code Generator), which the project does not depend on yet.
 */
import type { Client } from 'openapi-fetch';
import { ShiftlineError } from './auth.ts';
import type { components, paths } from './generated/openapi.ts';

type Schemas = components['schemas'];
export type GraphqlError = NonNullable<Schemas['GraphqlResponse']['errors']>[number];

export interface GraphqlResult<TData> {
  /** What the operation answered; fields refused or failed are null, with an error each. */
  data: TData | null;
  errors: GraphqlError[];
}

export type GraphqlVariables = Record<string, unknown>;

export const createGraphql =
  (api: Client<paths>) =>
  async <TData, TVariables extends GraphqlVariables = GraphqlVariables>(
    query: string,
    variables?: TVariables,
  ): Promise<GraphqlResult<TData>> => {
    const { data, error, response } = await api.POST('/graphql', {
      body: { query, ...(variables === undefined ? {} : { variables }) },
    });
    // 400 (a parse error, a limit) still answers GraphQL errors; 401/403/413 answer a problem.
    const answer = (data ?? error) as Schemas['GraphqlResponse'] | undefined;
    if (answer === undefined || Array.isArray(answer) || !('data' in answer || 'errors' in answer))
      throw new ShiftlineError(response.status, error, response.headers);
    return { data: (answer.data ?? null) as TData | null, errors: answer.errors ?? [] };
  };
