/**
 * The client's committed GraphQL introspection is what `POST /graphql` itself answers to the
 * standard introspection query where introspection is on (the twin): the function's schema,
 * resolvers wired, not only the builder the generator shares with it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { graphqlEnvOf } from '../../packages/client/scripts/generate.ts';
import { claimsFor, httpEvent, jsonOf, lambdaContext } from './support/lambda.ts';

const COMMITTED = resolve(import.meta.dirname, '../../packages/client/src/generated/graphql-env.d.ts');
const dynamo = mockClient(DynamoDBDocumentClient);

beforeAll(() => {
  vi.stubEnv('MAIN_TABLE_NAME', 'Main');
  vi.stubEnv('LEDGER_TABLE_NAME', 'Ledger');
  vi.stubEnv('DOCUMENTS_BUCKET_NAME', 'documents');
  vi.stubEnv('CURSOR_SECRET', 'unit-test-secret');
  vi.stubEnv('USER_POOL_ID', 'us-east-1_pool');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'unit');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'unit');
  vi.stubEnv('GRAPHQL_INTROSPECTION', 'true');
  // The revocation check before execution finds a live session.
  dynamo.on(GetCommand).resolves({});
});
afterAll(() => {
  vi.unstubAllEnvs();
  dynamo.restore();
});

describe('@shiftline/client GraphQL types', () => {
  it('match the introspection POST /graphql serves (regenerate with npm run generate -w packages/client)', async () => {
    // Prepare: the options graphql-js's introspectionFromSchema asks with, as the generator does.
    const { handler } = await import('../../functions/http/graphql.ts');
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });

    // Act
    const response = await handler(
      httpEvent({ routeKey: 'POST /graphql', body: { query }, claims: claimsFor(['staff']) }),
      lambdaContext(),
    );
    const served = jsonOf(response) as { data: IntrospectionQuery; errors?: unknown };

    // Assess
    expect(response.statusCode).toBe(200);
    expect(served.errors).toBeUndefined();
    expect(readFileSync(COMMITTED, 'utf8')).toBe(graphqlEnvOf(served.data));
  });
});
