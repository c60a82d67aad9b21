/**
 * The access matrix's rows, generated from the route table: every route GraphQL serves becomes
 * one call (its path parameters filled from a set of fixtures, its body the route's example),
 * sent once as REST and once as the GraphQL field, with the field's arguments typed from the
 * served schema (introspection).
 */
import {
  buildClientSchema,
  type GraphQLField,
  type GraphQLSchema,
  getIntrospectionQuery,
  getNamedType,
  type IntrospectionQuery,
  isObjectType,
} from 'graphql';
import { fieldNameOf, isGraphqlRoute } from '#runtime/graphql/schema.ts';
import { REQUEST_EXAMPLES } from '#shared/routes/examples.ts';
import { ROUTES, type RouteDefinition } from '#shared/routes.ts';
import { api, uniqueEmail } from './twin.ts';

export const ABSENT = '00000000000000000000000000';

/** One copy of everything a row may act on; REST and GraphQL each get their own, made alike. */
export interface MatrixFixtures {
  staffId: string;
  /** The staff member's user id (conversations name participants by user). */
  ownerUserId: string;
  credentialId: string;
  contractId: string;
  appointmentId: string;
  conversationId: string;
  /** A user the admin's user rows (roles, disable) act on: never a caller. */
  targetUserId: string;
}

export interface MatrixCall {
  route: RouteDefinition;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** `{id}` means the item of the path's collection. */
const idOf = (route: RouteDefinition, fixtures: MatrixFixtures): string => {
  const collection = route.path.split('/')[1];
  const ids: Record<string, string> = {
    users: fixtures.targetUserId,
    staff: fixtures.staffId,
    credentials: fixtures.credentialId,
    contracts: fixtures.contractId,
    appointments: fixtures.appointmentId,
    conversations: fixtures.conversationId,
  };
  return ids[collection ?? ''] ?? ABSENT;
};

const paramValue = (name: string, route: RouteDefinition, fixtures: MatrixFixtures): string => {
  if (name === 'id') return idOf(route, fixtures);
  if (name === 'n') return '1';
  if (name === 'entityType') return 'Contract';
  if (name === 'entityId') return fixtures.contractId;
  return ABSENT;
};

/** The route's example body, pointed at the fixtures' staff member and unique where it must be. */
const bodyOf = (route: RouteDefinition, fixtures: MatrixFixtures, label: string): unknown => {
  if (route.request?.body === undefined) return undefined;
  const example = REQUEST_EXAMPLES[route.operationId] ?? {};
  const body = { ...(example as Record<string, unknown>) };
  if ('staffId' in body) body.staffId = fixtures.staffId;
  if ('email' in body) body.email = uniqueEmail(`matrix-${label}`);
  if ('participantIds' in body) body.participantIds = [fixtures.ownerUserId];
  return body;
};

/** The calls of the matrix for one copy of the fixtures, in route table order. */
export const matrixCalls = (fixtures: MatrixFixtures, label: string): MatrixCall[] =>
  ROUTES.filter(isGraphqlRoute).map((route) => {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
    const params = Object.fromEntries(names.map((name) => [name, paramValue(name, route, fixtures)]));
    return { route, params, query: {}, body: bodyOf(route, fixtures, label) };
  });

export const servedSchema = async (token: string): Promise<GraphQLSchema> => {
  const answer = await api('/graphql', { method: 'POST', token, body: { query: getIntrospectionQuery() } });
  return buildClientSchema(answer.body.data as IntrospectionQuery);
};

const fieldOf = (schema: GraphQLSchema, route: RouteDefinition): GraphQLField<unknown, unknown> => {
  const root = route.method === 'GET' ? schema.getQueryType() : schema.getMutationType();
  const field = root?.getFields()[fieldNameOf(route)];
  if (field === undefined) throw new Error(`no GraphQL field for ${route.operationId}`);
  return field;
};

/** The GraphQL document and variables for a call: every argument a variable of its own type. */
export const graphqlOf = (schema: GraphQLSchema, call: MatrixCall, expectedVersion?: number) => {
  const field = fieldOf(schema, call.route);
  const values: Record<string, unknown> = { ...call.params, ...call.query };
  if (call.body !== undefined) values.input = call.body;
  if (expectedVersion !== undefined) values.expectedVersion = expectedVersion;
  const args = field.args.filter((arg) => values[arg.name] !== undefined);
  const variables = Object.fromEntries(
    args.map((arg) => [
      arg.name,
      getNamedType(arg.type).name === 'Int' ? Number(values[arg.name]) : values[arg.name],
    ]),
  );
  const declared = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  const operation = call.route.method === 'GET' ? 'query' : 'mutation';
  return {
    query: `${operation}${declared ? ` (${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`,
    variables,
  };
};

/** The REST request for a call. */
export const restOf = (call: MatrixCall, expectedVersion?: number) => {
  const path = call.route.path.replace(/\{(\w+)\}/g, (_, name: string) => call.params[name] ?? '');
  const search = new URLSearchParams(call.query).toString();
  return {
    path: search ? `${path}?${search}` : path,
    method: call.route.method,
    body: call.body,
    headers: expectedVersion === undefined ? undefined : { 'if-match': `"${expectedVersion}"` },
  };
};
