/**
 * The schema `POST /graphql` serves, built from the SDL generated from the route table
 * (`generated/served-schema.ts`, by `npm run generate -w packages/client`) instead of from the
 * zod schemas: a cold start parses the SDL and loads none of the routes' schemas. Each Query
 * and Mutation field runs its REST route's operation (run-route.ts); the route, with its zod
 * schemas, and the operation load with their capability on the field's first call. `Contract`'s
 * composed fields resolve with contract-details.ts.
 */
import { buildSchema, type GraphQLObjectType, type GraphQLSchema, isObjectType, isScalarType } from 'graphql';
import type { HttpFunctionName } from '#shared/functions.ts';
import type { RouteDefinition } from '#shared/routes.ts';
import type { Operation } from '../http.ts';
import { type ContractDetailsDeps, contractFieldResolvers } from './contract-details.ts';
import { JSON_SCALAR } from './json-scalar.ts';
import { type GraphqlContext, type RunOperation, runRoute } from './run-route.ts';

/** Each root field's REST route: its capability function and operationId (generated with the SDL). */
export type ServedFields = Readonly<
  Record<'Query' | 'Mutation', Readonly<Record<string, readonly [HttpFunctionName, string]>>>
>;

export interface ServedSchemaDeps {
  /** The route behind `operationId` and the REST function's operation for it, loaded on first use. */
  routeOf(
    fn: HttpFunctionName,
    operationId: string,
  ): Promise<{ route: RouteDefinition; operation: Operation }>;
  staffSummaries: ContractDetailsDeps['staffSummaries'];
}

const objectType = (schema: GraphQLSchema, name: string): GraphQLObjectType => {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`GraphQL: the SDL has no type ${name}`);
  return type;
};

/** The served schema from `sdl` (with or without descriptions), every field resolved. */
export const servedSchemaOf = (sdl: string, fields: ServedFields, deps: ServedSchemaDeps): GraphQLSchema => {
  // Printed from a schema graphql-js built and validated: its SDL rules need not run again.
  const schema = buildSchema(sdl, { assumeValidSDL: true });
  const fnOf = new Map(
    Object.values(fields).flatMap((byField) => Object.values(byField).map(([fn, id]) => [id, fn] as const)),
  );
  const run: RunOperation = async (operationId, args, request) => {
    const fn = fnOf.get(operationId);
    if (fn === undefined) throw new Error(`GraphQL: no operation ${operationId}`);
    const { route, operation } = await deps.routeOf(fn, operationId);
    return runRoute(route, operation, args, request);
  };
  for (const [typeName, byField] of Object.entries(fields))
    for (const [name, field] of Object.entries(objectType(schema, typeName).getFields())) {
      const target = byField[name];
      if (target === undefined) throw new Error(`GraphQL: no route for ${typeName}.${name}`);
      field.resolve = (_source, args: Record<string, unknown>, request: GraphqlContext) =>
        run(target[1], args, request);
    }
  const contract = objectType(schema, 'Contract').getFields();
  for (const [name, resolve] of Object.entries(
    contractFieldResolvers({ staffSummaries: deps.staffSummaries, run }),
  )) {
    const field = contract[name];
    if (field === undefined) throw new Error(`GraphQL: the SDL has no Contract.${name}`);
    field.resolve = resolve;
  }
  // buildSchema gives a custom scalar graphql-js's default coercion: `JSON` keeps its own.
  const json = schema.getType(JSON_SCALAR.name);
  if (isScalarType(json)) json.parseLiteral = JSON_SCALAR.parseLiteral;
  return schema;
};
