/**
 * The graphql function with DynamoDB mocked: fields answer what the REST operations answer,
 * errors carry REST's problem in `extensions`, and hostile documents are refused with 400
 * before any resolver (no DynamoDB call).
 */
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '#domain/roles.ts';
import { captureLogs, claimsFor, httpEvent, jsonOf, lambdaContext } from './support/lambda.ts';

type Handler = typeof import('../../functions/http/graphql.ts')['handler'];

const dynamo = mockClient(DynamoDBDocumentClient);
let graphql: Handler;
let logs: ReturnType<typeof captureLogs>;

const OWNER = '0b6c6a8e-5f0e-4c55-9f0a-3c1f5c2d7e11';
const STAFF_ID = '01J0000000000000000000STAF';
const profileItem = {
  pk: `STAFF#${STAFF_ID}`,
  sk: `STAFF#${STAFF_ID}`,
  kind: 'StaffProfile',
  id: STAFF_ID,
  userId: OWNER,
  name: 'Nia',
  email: 'nia@example.org',
  dateOfBirth: '1990-05-01',
  isActive: true,
  version: 3,
  createdAt: 'c',
  updatedAt: 'u',
  lastActor: { userId: 'x', roles: ['admin'], requestId: 'r', action: 'create' },
};

beforeAll(async () => {
  vi.stubEnv('MAIN_TABLE_NAME', 'Main');
  vi.stubEnv('LEDGER_TABLE_NAME', 'Ledger');
  vi.stubEnv('DOCUMENTS_BUCKET_NAME', 'documents');
  vi.stubEnv('CURSOR_SECRET', 'unit-test-secret');
  vi.stubEnv('USER_POOL_ID', 'us-east-1_pool');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'unit');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'unit');
  ({ handler: graphql } = await import('../../functions/http/graphql.ts'));
});
afterAll(() => vi.unstubAllEnvs());
// The caller's session record (the revocation check, once per request before execution): live.
const SESSION_KEY = { pk: 'SESSION#user-1', sk: 'SESSION#user-1' };
/** DynamoDB calls but the session check's: what a refused field must not have made. */
const dataReads = () =>
  dynamo.calls().filter((call) => {
    const key = (call.args[0] as { input?: { Key?: { pk?: string } } }).input?.Key;
    return !key?.pk?.startsWith('SESSION#');
  });

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand, { Key: SESSION_KEY }).resolves({});
  logs = captureLogs();
});
afterEach(() => logs.restore());

const ask = async (body: object, roles: readonly Role[] = ['recruiter']) => {
  const result = await graphql(
    httpEvent({ routeKey: 'POST /graphql', body, claims: claimsFor(roles), requestId: 'req-gql' }),
    lambdaContext(),
  );
  return { status: result.statusCode, body: jsonOf(result) as { data?: unknown; errors?: GraphqlError[] } };
};

interface GraphqlError {
  message: string;
  path?: unknown[];
  extensions: { type: string; status: number; requestId: string };
}

describe('graphql function: reads', () => {
  it("answers staffProfile with REST's body (a recruiter does not see the date of birth)", async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({ Item: profileItem });

    // Act
    const { status, body } = await ask({
      query: 'query ($id: String!) { staffProfile(id: $id) { id name email dateOfBirth version } }',
      variables: { id: STAFF_ID },
    });

    // Assess
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        staffProfile: { id: STAFF_ID, name: 'Nia', email: 'nia@example.org', dateOfBirth: null, version: 3 },
      },
    });
  });

  it('answers an absent item as a GraphQL error carrying the 404 problem', async () => {
    dynamo.on(GetCommand).resolves({});

    const { status, body } = await ask({ query: `{ staffProfile(id: "${STAFF_ID}") { id } }` });

    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      path: ['staffProfile'],
      extensions: { type: 'urn:shiftline:problem:not-found', status: 404, requestId: 'req-gql' },
    });
  });

  it("refuses a field the caller's role may not call with 403, before reading", async () => {
    const { body } = await ask({ query: '{ auditEntries { items { entityId } } }' }, ['staff']);

    expect(body.errors?.[0]?.extensions).toMatchObject({
      type: 'urn:shiftline:problem:forbidden',
      status: 403,
    });
    expect(dataReads()).toHaveLength(0);
  });

  it('validates arguments with the route schema: a bad id is the 400 REST answers', async () => {
    const { body } = await ask({ query: '{ staffProfile(id: "nope") { id } }' });

    expect(body.errors?.[0]?.extensions).toMatchObject({
      type: 'urn:shiftline:problem:validation-failed',
      status: 400,
    });
    expect(dataReads()).toHaveLength(0);
  });

  it("answers a variable its type refuses as REST's 400 validation failure, not a 500", async () => {
    const { status, body } = await ask({
      query:
        'mutation ($input: CreateConversationRequestInput!) { createConversation(input: $input) { id } }',
      variables: { input: { participantIds: [null] } },
    });

    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      type: 'urn:shiftline:problem:validation-failed',
      status: 400,
    });
    expect(body.errors?.[0]?.message).toMatch(/participantIds\[0\]/);
    expect(dataReads()).toHaveLength(0);
  });

  it('pages a list with the cursor REST uses', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [profileItem], LastEvaluatedKey: { pk: 'a', sk: 'b' } });

    const { body } = await ask({ query: '{ staffProfiles(limit: 1) { items { id } nextCursor } }' });

    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ staffProfiles: { items: [{ id: STAFF_ID }] } });
    expect(body.data).not.toMatchObject({ staffProfiles: { nextCursor: null } });
  });
});

describe('graphql function: writes', () => {
  it('requires expectedVersion where REST requires If-Match (428)', async () => {
    const { body } = await ask({
      query: `mutation { updateStaffProfile(id: "${STAFF_ID}", input: { name: "N" }) { id } }`,
    });

    expect(body.errors?.[0]?.extensions).toMatchObject({ status: 428 });
    expect(dataReads()).toHaveLength(0);
  });
});

describe('graphql function: refused before execution', () => {
  it.each([
    ['a parse error', { query: '{ me { id ' }],
    ['an unknown field', { query: '{ nothing }' }],
    ['introspection (off outside the twin)', { query: '{ __schema { types { name } } }' }],
    ['31 aliases', { query: `{ ${Array.from({ length: 31 }, (_, n) => `a${n}: me { id }`).join(' ')} }` }],
    [
      'a cost over budget',
      {
        query:
          '{ contracts(limit: 100) { items { id title terms staffId status version createdAt updatedAt startDate endDate currentVersion contentHash requiredCredentialTypes title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title title } } }',
      },
    ],
  ])('%s: 400 with errors, nothing read', async (_name, request) => {
    const { status, body } = await ask(request);

    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ status: 400, requestId: 'req-gql' });
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('refuses a document deeper than 10 levels, before validating it', async () => {
    const deep = (levels: number) => `${'{ me '.repeat(levels - 1)}{ id }${' }'.repeat(levels - 1)}`;

    const tenLevels = await ask({ query: deep(10) });
    const elevenLevels = await ask({ query: deep(11) });

    expect(tenLevels.body.errors?.[0]?.message).not.toMatch(/levels deep/);
    expect(elevenLevels.status).toBe(400);
    expect(elevenLevels.body.errors?.[0]?.message).toBe('The query is 11 levels deep; the limit is 10');
  });

  it('refuses a body over 256 KB with 413 problem+json, as REST does, and one at the limit runs', async () => {
    // Prepare: the same query padded with whitespace to the limit and one byte past it.
    const padded = (bytes: number) => {
      const json = JSON.stringify({ query: '{ me { id } }' });
      return `${json.slice(0, -1)}${' '.repeat(bytes - json.length)}}`;
    };
    const send = (body: string) =>
      graphql(
        httpEvent({
          routeKey: 'POST /graphql',
          body,
          headers: { 'content-type': 'application/json' },
          claims: claimsFor(['recruiter']),
        }),
        lambdaContext(),
      );

    // Act
    const atLimit = await send(padded(256 * 1024));
    const over = await send(padded(256 * 1024 + 1));

    // Assess
    expect(atLimit.statusCode).toBe(200);
    expect(over.statusCode).toBe(413);
    expect(over.headers?.['content-type']).toBe('application/problem+json');
    expect(jsonOf(over)).toMatchObject({ type: 'urn:shiftline:problem:payload-too-large', status: 413 });
  });

  it('refuses a batch of 11 operations and runs none', async () => {
    const { status } = await ask(Array.from({ length: 11 }, () => ({ query: '{ me { id } }' })));

    expect(status).toBe(400);
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('graphql function: sessions', () => {
  it("refuses a revoked session with REST's 401 before any resolver, once the document is accepted", async () => {
    // Prepare: every session of this user ended after its token was issued (iat absent: 0).
    const sub = 'revoked-user';
    dynamo.on(GetCommand, { Key: { pk: `SESSION#${sub}`, sk: `SESSION#${sub}` } }).resolves({
      Item: { kind: 'UserSession', sessionsValidAfter: Math.floor(Date.now() / 1000), revokedSessions: [] },
    });
    const event = (query: string) =>
      httpEvent({ routeKey: 'POST /graphql', body: { query }, claims: claimsFor(['recruiter'], sub) });

    // Act
    const refused = await graphql(event('{ me { id } }'), lambdaContext());
    const bomb = await graphql(event(`{ ${'me { '.repeat(11)}id${' }'.repeat(11)} }`), lambdaContext());

    // Assess
    expect(refused.statusCode).toBe(401);
    expect(jsonOf(refused)).toMatchObject({ type: 'urn:shiftline:problem:session-revoked' });
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input.Key?.pk)).toEqual([
      `SESSION#${sub}`,
    ]);
    expect(bomb.statusCode).toBe(400);
  });
});

describe('graphql function: the playground', () => {
  it('is not found where introspection is off (AWS without the context)', async () => {
    const page = await graphql(httpEvent({ routeKey: 'GET /graphql' }), lambdaContext());
    const asset = await graphql(
      httpEvent({ routeKey: 'GET /graphql/{asset}', pathParameters: { asset: 'graphiql.min.js' } }),
      lambdaContext(),
    );

    expect(page.statusCode).toBe(404);
    expect(asset.statusCode).toBe(404);
  });
});
