/**
 * The schema `POST /graphql` serves: the route table's fields and the single contract request.
 * One builder for the function and for the client's generator, so the typed client's
 * introspection is the served schema's, not a copy that could drift.
 */
import type { GraphQLSchema } from 'graphql';
import { ROUTES } from '#shared/routes.ts';
import { type ContractDetailsDeps, extendContract } from './contract-details.ts';
import { buildGraphqlSchema, type OperationsById } from './schema.ts';

export const buildServedGraphqlSchema = (
  operations: OperationsById,
  staffSummaries: ContractDetailsDeps['staffSummaries'],
): GraphQLSchema =>
  buildGraphqlSchema(ROUTES, operations, (types, run) => extendContract(types, { staffSummaries, run }));

const unresolved = async (): Promise<never> => {
  throw new Error("the served schema's shape resolves nothing");
};

/** The served schema's types alone (every resolver refuses): what introspection describes. */
export const servedGraphqlSchemaShape = (): GraphQLSchema =>
  buildServedGraphqlSchema(new Proxy({}, { get: () => unresolved }), unresolved);
