/**
 * One `POST /graphql` request: parse, limit and validate every operation of the batch first,
 * then execute them in order. A request refused before execution is HTTP 400 with `errors`
 * (GraphQL over HTTP); once executing, it is HTTP 200 and each error carries REST's problem
 * `type`, `status` and `requestId` in its `extensions`.
 */
import {
  type DocumentNode,
  execute,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { BadRequest, ValidationFailed } from '#domain/errors.ts';
import type { OperationResult } from '../http.ts';
import { logger } from '../logger.ts';
import { problemOf } from '../problem.ts';
import { GRAPHQL_LIMITS, limitBreachOf } from './limits.ts';
import type { GraphqlContext } from './run-route.ts';

export interface GraphqlOperation {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export interface GraphqlOptions {
  /** Introspection queries (`__schema`, `__type`): on in the twin, off in AWS unless enabled. */
  introspection: boolean;
  /** Runs once every operation of the request is accepted, before any resolver (the session check). */
  beforeExecution?: () => Promise<void>;
}

type Prepared = { document: DocumentNode; operation: GraphqlOperation };

/** A GraphQL error as the client sees it: REST's problem in `extensions`, no internals. */
export const formatError = (error: GraphQLError, requestId: string): GraphQLFormattedError => {
  // Errors graphql-js raises itself are the caller's (bad variables: 400), but for a null where
  // the schema promised a value, which is ours (500). A variable's value that its type refuses
  // (graphql-js wraps its own error) is invalid input, as REST's zod validation answers it.
  const original = error.originalError;
  const cause =
    original instanceof GraphQLError
      ? new ValidationFailed([{ path: 'variables', message: error.message }], error.message)
      : (original ??
        (error.message.startsWith('Cannot return null for non-nullable field')
          ? new Error(error.message)
          : new BadRequest(error.message)));
  const problem = problemOf(cause, requestId);
  if (problem.status >= 500) logger.error('GraphQL resolver failed', { error: cause, path: error.path });
  const { type, status, title, errors, currentState, details } = problem;
  const extensions = { type, status, requestId, title, errors, currentState, details };
  return {
    message: problem.detail ?? problem.title,
    ...(error.locations === undefined ? {} : { locations: error.locations }),
    ...(error.path === undefined ? {} : { path: error.path }),
    extensions: Object.fromEntries(Object.entries(extensions).filter(([, value]) => value !== undefined)),
  };
};

const refused = (requestId: string, errors: readonly GraphQLError[], index: number | undefined) => ({
  status: 400,
  body: {
    errors: errors.map((error) => {
      const formatted = formatError(error, requestId);
      return index === undefined
        ? formatted
        : { ...formatted, extensions: { ...formatted.extensions, batchIndex: index } };
    }),
  },
});

const prepare = (
  schema: GraphQLSchema,
  operation: GraphqlOperation,
  options: GraphqlOptions,
): { document: DocumentNode } | { errors: readonly GraphQLError[] } => {
  let document: DocumentNode;
  try {
    document = parse(operation.query, { maxTokens: GRAPHQL_LIMITS.maxTokens });
  } catch (error) {
    return { errors: [error as GraphQLError] };
  }
  const breach = limitBreachOf(document, operation.variables ?? {});
  if (breach !== undefined) return { errors: [asGraphqlError(breach.message)] };
  const rules = options.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  const errors = validate(schema, document, rules, { maxErrors: 20 });
  return errors.length > 0 ? { errors } : { document };
};

const asGraphqlError = (message: string): GraphQLError =>
  new GraphQLError(message, { originalError: new BadRequest(message) });

/** Answers a single operation (an object) or a batch (an array) the same way it was asked. */
export const runGraphql = async (
  schema: GraphQLSchema,
  body: GraphqlOperation | readonly GraphqlOperation[],
  request: GraphqlContext,
  options: GraphqlOptions,
): Promise<OperationResult> => {
  const batch = Array.isArray(body) ? body : [body as GraphqlOperation];
  const prepared: Prepared[] = [];
  for (const [index, operation] of batch.entries()) {
    const result = prepare(schema, operation, options);
    if ('errors' in result)
      return refused(request.requestId, result.errors, Array.isArray(body) ? index : undefined);
    prepared.push({ document: result.document, operation });
  }
  await options.beforeExecution?.();
  const answers = [];
  // In order, like REST calls made one after another: a later mutation sees an earlier one.
  for (const { document, operation } of prepared) {
    const result = await execute({
      schema,
      document,
      operationName: operation.operationName ?? undefined,
      variableValues: operation.variables ?? undefined,
      contextValue: request,
    });
    const errors = result.errors?.map((error) => formatError(error, request.requestId));
    answers.push(errors === undefined ? { data: result.data } : { data: result.data, errors });
  }
  return { status: 200, body: Array.isArray(body) ? answers : answers[0] };
};
