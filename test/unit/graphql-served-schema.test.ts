/**
 * The graphql function builds its schema from generated SDL (served.ts), not from the zod
 * schemas: the committed SDL modules are what the route table generates today, the schema built
 * from them introspects exactly as the zod-built shape does (without descriptions where
 * introspection is off), and every field's route and operation load from its capability.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type GraphQLSchema,
  type IntrospectionQuery,
  introspectionFromSchema,
  introspectionTypes,
  isScalarType,
  specifiedScalarTypes,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SERVED_FIELDS, SERVED_SDL } from '#runtime/graphql/generated/served-schema.ts';
import { SERVED_SDL_DESCRIBED } from '#runtime/graphql/generated/served-schema-described.ts';
import { JSON_SCALAR } from '#runtime/graphql/json-scalar.ts';
import { servedSchemaOf } from '#runtime/graphql/served.ts';
import { servedGraphqlSchemaShape, servedSchemaArtefacts } from '#runtime/graphql/served-schema.ts';

const ROOT = resolve(import.meta.dirname, '../..');

const unresolved = async (): Promise<never> => {
  throw new Error('not resolved here');
};
const built = (sdl: string) =>
  servedSchemaOf(sdl, SERVED_FIELDS, { routeOf: unresolved, staffSummaries: unresolved });

/** Introspection with its types by name: graphql-js lists the built-in scalars where it first meets them. */
const introspectionOf = (schema: GraphQLSchema): IntrospectionQuery => {
  const { __schema } = introspectionFromSchema(schema);
  return {
    __schema: { ...__schema, types: [...__schema.types].sort((a, b) => a.name.localeCompare(b.name)) },
  };
};

/** The same JSON with every description null, as a schema without descriptions introspects. */
const withoutDescriptions = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withoutDescriptions)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(
          Object.entries(value).map(([key, inner]) => [
            key,
            key === 'description' ? null : withoutDescriptions(inner),
          ]),
        )
      : value;

// graphql-js's own types and directives keep their descriptions in any schema.
const BUILT_IN = new Set([...specifiedScalarTypes, ...introspectionTypes].map((type) => type.name));

/** The introspection with the descriptions of this schema's own types and fields removed. */
const ownDescriptionsRemoved = ({ __schema }: IntrospectionQuery): IntrospectionQuery => ({
  __schema: {
    ...__schema,
    description: null,
    types: __schema.types.map((type) =>
      BUILT_IN.has(type.name) ? type : (withoutDescriptions(type) as typeof type),
    ),
  },
});

describe('the served GraphQL schema', () => {
  it('is built from the committed SDL the route table generates (regenerate with npm run generate -w packages/client)', () => {
    for (const [path, text] of Object.entries(servedSchemaArtefacts()))
      expect(readFileSync(resolve(ROOT, path), 'utf8'), path).toBe(text);
  });

  it('introspects as the schema built from the zod schemas, descriptions included, where introspection is on', () => {
    // Act
    const served = introspectionOf(built(SERVED_SDL_DESCRIBED));
    const shape = introspectionOf(servedGraphqlSchemaShape());

    // Assess
    expect(served).toEqual(shape);
    expect(served.__schema.description).toContain('Shiftline over GraphQL');
  });

  it('introspects the same without descriptions where introspection is off (the cold start parses less)', () => {
    // Act
    const bare = introspectionOf(built(SERVED_SDL));

    // Assess
    expect(bare).toEqual(ownDescriptionsRemoved(introspectionOf(servedGraphqlSchemaShape())));
    expect(SERVED_SDL.length).toBeLessThan(SERVED_SDL_DESCRIBED.length / 2);
  });
  it("keeps the JSON scalar's own coercion (a literal as written), which buildSchema would not give it", () => {
    // Act
    const json = built(SERVED_SDL).getType('JSON');

    // Assess
    expect(isScalarType(json) && json.parseLiteral).toBe(JSON_SCALAR.parseLiteral);
  });
});

describe('the graphql function', () => {
  beforeAll(() => {
    vi.stubEnv('MAIN_TABLE_NAME', 'Main');
    vi.stubEnv('LEDGER_TABLE_NAME', 'Ledger');
    vi.stubEnv('DOCUMENTS_BUCKET_NAME', 'documents');
    vi.stubEnv('CURSOR_SECRET', 'unit-test-secret');
    vi.stubEnv('USER_POOL_ID', 'us-east-1_pool');
    vi.stubEnv('AWS_REGION', 'us-east-1');
  });
  afterAll(() => vi.unstubAllEnvs());

  it("loads every field's route and REST operation from the capability that serves it", async () => {
    // Prepare
    const { routeOf } = await import('../../functions/http/graphql.ts');
    const fields = [...Object.values(SERVED_FIELDS.Query), ...Object.values(SERVED_FIELDS.Mutation)];

    // Act
    const loaded = await Promise.all(fields.map(([fn, operationId]) => routeOf(fn, operationId)));

    // Assess
    expect(fields.length).toBeGreaterThan(50);
    for (const [index, { route, operation }] of loaded.entries()) {
      const [fn, operationId] = fields[index] ?? [];
      expect({ fn: route.fn, operationId: route.operationId }).toEqual({ fn, operationId });
      expect(typeof operation).toBe('function');
    }
  });
});
