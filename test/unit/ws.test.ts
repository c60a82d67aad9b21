import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { listConnectionsOfUser } from '#data/connections.ts';
import { assigned, readable } from '../support/expressions.ts';
import { captureLogs } from './support/lambda.ts';

const CLIENT_ID = 'ws-client';
const METHOD_ARN = 'arn:aws:execute-api:us-east-1:000000000000:api/prod/$connect';
let server: Server;
let issuer: string;
let keys: Awaited<ReturnType<typeof generateKeyPair>>;
let authorize: typeof import('../../functions/ws/authorize.ts')['handler'];
let connect: typeof import('../../functions/ws/connect.ts')['handler'];
let disconnect: typeof import('../../functions/ws/disconnect.ts')['handler'];
const dynamo = mockClient(DynamoDBDocumentClient);
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  keys = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256' };
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pool`;
  vi.stubEnv('JWT_ISSUER', issuer);
  vi.stubEnv('USER_POOL_CLIENT_ID', CLIENT_ID);
  vi.stubEnv('MAIN_TABLE_NAME', 'Main');
  // Each test says what the session record holds: no cache between them.
  vi.stubEnv('SESSION_CACHE_SECONDS', '0');
  ({ handler: authorize } = await import('../../functions/ws/authorize.ts'));
  ({ handler: connect } = await import('../../functions/ws/connect.ts'));
  ({ handler: disconnect } = await import('../../functions/ws/disconnect.ts'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  dynamo.reset();
  // The caller's session record: none (no revocation), unless a test says so.
  dynamo.on(GetCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  // The token's user is an admin who has enrolled TOTP MFA (refused otherwise).
  dynamo
    .on(GetCommand, { Key: { pk: 'MFA#user-1', sk: 'MFA#user-1' } })
    .resolves({ Item: { kind: 'UserMfa', userId: 'user-1', enrolledAt: '2026-01-01T00:00:00.000Z' } });
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  vi.useRealTimers();
});

const token = (claims: Record<string, unknown> = {}, expiresIn: string | number = '1h') =>
  new SignJWT({
    token_use: 'id',
    aud: CLIENT_ID,
    'cognito:groups': ['admin', 'recruiter'],
    email: 'a@example.com',
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('user-1')
    .setIssuer(issuer)
    .setExpirationTime(expiresIn)
    .sign(keys.privateKey);

const authorizerEvent = (query: Record<string, string> | null): APIGatewayRequestAuthorizerEvent =>
  ({
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    queryStringParameters: query,
    headers: {},
  }) as APIGatewayRequestAuthorizerEvent;

describe('ws authorize', () => {
  it('allows a valid id token with a scalar context', async () => {
    // Act
    const result = await authorize(authorizerEvent({ token: await token() }));
    // Assess
    expect(result.principalId).toBe('user-1');
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN },
    ]);
    expect(result.context).toEqual({ sub: 'user-1', roles: '[admin recruiter]', exp: expect.any(Number) });
    expect(Object.values(result.context).every((value) => typeof value !== 'object')).toBe(true);
  });

  it.each([
    ['every session ended after the token was issued', { sessionsValidAfter: 4_000_000_000 }],
    ["the token's own session logged out", { revokedSessions: new Set(['session-1']) }],
  ])('throws Unauthorized when %s', async (_case, revocation) => {
    // Prepare
    const nowSeconds = Math.floor(Date.now() / 1000);
    dynamo.on(GetCommand).resolves({ Item: { kind: 'UserSession', ttl: nowSeconds + 3600, ...revocation } });
    // Act
    const attempt = authorize(
      authorizerEvent({ token: await token({ iat: nowSeconds, origin_jti: 'session-1' }) }),
    );
    // Assess
    await expect(attempt).rejects.toThrow(/^Unauthorized$/);
  });

  it('passes the session of a live token on in its context', async () => {
    // Act
    const nowSeconds = Math.floor(Date.now() / 1000);
    const result = await authorize(
      authorizerEvent({ token: await token({ iat: nowSeconds, origin_jti: 'session-2' }) }),
    );
    // Assess
    expect(result.context).toMatchObject({ sub: 'user-1', iat: nowSeconds, ojti: 'session-2' });
  });

  it.each([
    ['no token', async () => null],
    ['an empty token', async () => ({ token: '' })],
    ['an expired token', async () => ({ token: await token({}, Math.floor(Date.now() / 1000) - 10) })],
    [
      'an access token',
      async () => ({ token: await token({ token_use: 'access', aud: undefined, client_id: CLIENT_ID }) }),
    ],
    ['garbage', async () => ({ token: 'abc.def.ghi' })],
  ])('throws Unauthorized for %s', async (_case, query) => {
    await expect(authorize(authorizerEvent(await query()))).rejects.toThrow(/^Unauthorized$/);
  });

  it('logs no token and no email', async () => {
    const jwt = await token({}, Math.floor(Date.now() / 1000) - 10);
    await expect(authorize(authorizerEvent({ token: jwt }))).rejects.toThrow();
    expect(logs.text()).not.toContain(jwt);
  });
});

const wsEvent = (authorizer: Record<string, string | number> | undefined) =>
  ({
    requestContext: {
      connectionId: 'conn-1',
      requestId: 'ws-req-1',
      routeKey: '$connect',
      eventType: 'CONNECT',
      ...(authorizer ? { authorizer } : {}),
    },
    isBase64Encoded: false,
  }) as never;

describe('ws connect', () => {
  const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });

  it('registers the connection under the user, expiring with the token', async () => {
    // Prepare
    dynamo.on(PutCommand).resolves({});
    const exp = NOW / 1000 + 600;
    // Act
    const result = await connect(wsEvent({ sub: 'user-1', roles: '[admin recruiter]', exp: String(exp) }));
    // Assess
    expect(result).toEqual({ statusCode: 200 });
    const put = dynamo.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.TableName).toBe('Main');
    expect(put?.Item).toEqual({
      pk: 'CONN#conn-1',
      sk: 'CONN#conn-1',
      gsi1pk: 'USER#user-1',
      gsi1sk: 'CONN#conn-1',
      // An admin's connection is on the desk index (staff.flagged goes to every one of them).
      gsi3pk: 'CONNDESK',
      gsi3sk: 'CONN#conn-1',
      kind: 'Connection',
      connectionId: 'conn-1',
      userId: 'user-1',
      roles: ['admin', 'recruiter'],
      connectedAt: '2026-01-01T12:00:00.000Z',
      ttl: exp,
    });
    expect(put && readable(put, 'ConditionExpression')).toBe('attribute_not_exists(pk)');
    // …and in the user's presence item, which a send reads for every participant at once.
    const presence = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(presence?.Key).toEqual({ pk: 'LIVE#user-1', sk: 'LIVE#user-1' });
    expect(presence && assigned(presence)).toEqual({
      kind: 'Presence',
      userId: 'user-1',
      'live:conn-1': { connectionId: 'conn-1', userId: 'user-1', roles: ['admin', 'recruiter'], ttl: exp },
    });
  });

  it('expires the connection after 2 h at most', async () => {
    dynamo.on(PutCommand).resolves({});
    await connect(wsEvent({ sub: 'user-1', roles: '[staff]', exp: NOW / 1000 + 86_400 }));
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item?.ttl).toBe(NOW / 1000 + 7200);
    // A staff member's connection stays off the desk index.
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).not.toHaveProperty('gsi3pk');
  });
});

describe('ws disconnect and connection listing', () => {
  it('deletes the connection by id', async () => {
    dynamo.on(DeleteCommand).resolves({});
    const result = await disconnect(wsEvent(undefined));
    expect(result).toEqual({ statusCode: 200 });
    expect(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input).toEqual({
      TableName: 'Main',
      Key: { pk: 'CONN#conn-1', sk: 'CONN#conn-1' },
    });
  });

  it("takes the connection out of its user's presence item too", async () => {
    // Prepare
    dynamo.on(DeleteCommand).resolves({});
    dynamo.on(GetCommand, { Key: { pk: 'CONN#conn-1', sk: 'CONN#conn-1' } }).resolves({
      Item: { kind: 'Connection', connectionId: 'conn-1', userId: 'user-1', roles: ['staff'], ttl: 1 },
    });
    // Act
    await disconnect(wsEvent(undefined));
    // Assess
    const presence = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(presence?.Key).toEqual({ pk: 'LIVE#user-1', sk: 'LIVE#user-1' });
    expect(presence && readable(presence, 'ConditionExpression')).toBe('attribute_exists(pk)');
    expect(Object.values(presence?.ExpressionAttributeNames ?? {})).toContain('live:conn-1');
  });

  it("lists a user's connections with one Query on gsi1", async () => {
    // Prepare
    const item = {
      pk: 'CONN#c1',
      sk: 'CONN#c1',
      gsi1pk: 'USER#u1',
      gsi1sk: 'CONN#c1',
      kind: 'Connection',
      connectionId: 'c1',
      userId: 'u1',
      roles: ['staff'],
      connectedAt: '2026-01-01T00:00:00.000Z',
      ttl: 1_767_232_800,
    };
    dynamo.on(QueryCommand).resolves({ Items: [item] });
    // Act
    const connections = await listConnectionsOfUser('u1');
    // Assess
    expect(connections).toEqual([
      {
        connectionId: 'c1',
        userId: 'u1',
        roles: ['staff'],
        connectedAt: '2026-01-01T00:00:00.000Z',
        ttl: 1_767_232_800,
      },
    ]);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(1);
    const query = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query?.IndexName).toBe('gsi1');
    expect(query && readable(query, 'KeyConditionExpression')).toBe(
      'gsi1pk = "USER#u1" AND begins_with(gsi1sk, "CONN#")',
    );
  });
});
