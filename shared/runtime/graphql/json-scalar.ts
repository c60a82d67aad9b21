/**
 * The `JSON` scalar: shapes GraphQL cannot say (records, unions of objects, unknown). One
 * definition for the generated schema's shape (zod-types.ts) and the served schema built from
 * its SDL (served.ts), which gives the SDL's `scalar JSON` this coercion.
 */
import { type GraphQLScalarTypeConfig, valueFromASTUntyped } from 'graphql';

export const JSON_SCALAR = {
  name: 'JSON',
  description: 'Any JSON value (maps, unions of objects); validated by the same schema as REST',
  serialize: (value) => value,
  parseValue: (value) => value,
  // A literal is taken as written (variables inside a JSON literal are not substituted).
  parseLiteral: (ast) => valueFromASTUntyped(ast),
} as const satisfies GraphQLScalarTypeConfig<unknown, unknown>;
