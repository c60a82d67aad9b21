import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  ListUsersInGroupCommand,
  NotAuthorizedException,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { UnsecuredJWT } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loginThrottleKey } from '#domain/identity/auth-service.ts';
import { captureLogs, claimsFor, httpEvent, jsonOf, lambdaContext } from './support/lambda.ts';

type Handler = typeof import('../../functions/http/auth.ts')['handler'];

const cognito = mockClient(CognitoIdentityProviderClient);
const dynamo = mockClient(DynamoDBDocumentClient);
let auth: Handler;
let users: Handler;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  vi.stubEnv('USER_POOL_ID', 'us-east-1_pool');
  vi.stubEnv('USER_POOL_CLIENT_ID', 'app-client');
  vi.stubEnv('MAIN_TABLE_NAME', 'Main');
  vi.stubEnv('CURSOR_SECRET', 'unit-test-secret');
  ({ handler: auth } = await import('../../functions/http/auth.ts'));
  ({ handler: users } = await import('../../functions/http/users.ts'));
});
afterAll(() => {
  vi.unstubAllEnvs();
});
beforeEach(() => {
  cognito.reset();
  dynamo.reset();
  // Every authenticated request reads the caller's session record: none, unless a test says so.
  dynamo.on(GetCommand).resolves({});
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  vi.useRealTimers();
});

const idToken = (claims: Record<string, unknown>) =>
  new UnsecuredJWT({ email: 'nora@example.com', 'cognito:groups': ['staff'], ...claims })
    .setSubject('0b6c6a8e-5f0e-4c55-9f0a-3c1f5c2d7e11')
    .encode();

const login = (email: string, password: string) =>
  auth(httpEvent({ routeKey: 'POST /auth/login', body: { email, password } }), lambdaContext('auth'));

const cognitoUser = (sub: string): UserType => ({
  Username: sub,
  Attributes: [
    { Name: 'sub', Value: sub },
    { Name: 'email', Value: `${sub}@example.com` },
    { Name: 'name', Value: sub },
  ],
  Enabled: true,
  UserCreateDate: new Date('2026-01-05T10:00:00.000Z'),
});

describe('auth function', () => {
  it('logs in and answers the tokens with the user they are for', async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    cognito.on(InitiateAuthCommand).resolves({
      AuthenticationResult: {
        IdToken: idToken({ name: 'Nora Nurse' }),
        AccessToken: 'access',
        RefreshToken: 'refresh',
        ExpiresIn: 3600,
      },
    });
    // Act
    const response = await login(' Nora@Example.com ', 'Correct-horse-42!');
    // Assess
    expect(response.statusCode).toBe(200);
    expect(jsonOf(response)).toMatchObject({
      accessToken: 'access',
      refreshToken: 'refresh',
      expiresIn: 3600,
      user: {
        id: '0b6c6a8e-5f0e-4c55-9f0a-3c1f5c2d7e11',
        email: 'nora@example.com',
        name: 'Nora Nurse',
        roles: ['staff'],
      },
    });
    expect(cognito.commandCalls(InitiateAuthCommand)[0]?.args[0].input.AuthParameters).toEqual({
      USERNAME: 'nora@example.com',
      PASSWORD: 'Correct-horse-42!',
    });
    // The counter item is keyed by the hash of the email, and cleared on success.
    expect(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input.Key?.pk).toContain(
      loginThrottleKey('nora@example.com'),
    );
  });

  it('answers 401 for a wrong password and counts it', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'no item', $metadata: {} }));
    dynamo.on(PutCommand).resolves({});
    cognito.on(InitiateAuthCommand).rejects(new NotAuthorizedException({ message: 'x', $metadata: {} }));

    const response = await login('nora@example.com', 'Wrong-horse-42!');

    expect(response.statusCode).toBe(401);
    expect(jsonOf(response)).toMatchObject({ status: 401, detail: 'Wrong email or password' });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ failures: 1 });
  });

  it('answers 429 with Retry-After for a locked email, without calling Cognito', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-02T09:00:00.000Z'), toFake: ['Date'] });
    const lockedUntil = Date.parse('2026-03-02T09:10:00.000Z') / 1000;
    dynamo.on(GetCommand).resolves({ Item: { failures: 5, lockedUntil, ttl: lockedUntil } });

    const response = await login('nora@example.com', 'Correct-horse-42!');

    expect(response.statusCode).toBe(429);
    expect(response.headers?.['retry-after']).toBe('600');
    expect(cognito.calls()).toHaveLength(0);
  });

  it('answers the NEW_PASSWORD_REQUIRED challenge as its own body', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    cognito
      .on(InitiateAuthCommand)
      .resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'session-1' });

    const response = await login('ivy@example.com', 'temporary');

    expect(response.statusCode).toBe(200);
    expect(jsonOf(response)).toEqual({ challenge: 'NEW_PASSWORD_REQUIRED', session: 'session-1' });
  });

  it('fills in the name from the user record when the id token has none', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    cognito.on(InitiateAuthCommand).resolves({
      AuthenticationResult: { IdToken: idToken({}), AccessToken: 'access', RefreshToken: 'refresh' },
    });
    cognito.on(AdminGetUserCommand).resolves({
      Username: '0b6c6a8e-5f0e-4c55-9f0a-3c1f5c2d7e11',
      UserAttributes: [{ Name: 'name', Value: 'Nora From Record' }],
    });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'staff' }] });

    const response = await login('nora@example.com', 'Correct-horse-42!');

    expect(jsonOf(response)).toMatchObject({ user: { name: 'Nora From Record' } });
  });
});

describe('users function', () => {
  const admin = claimsFor(['admin'], 'admin-1');
  const listUsers = (query: Record<string, string>, claims = admin) =>
    users(httpEvent({ routeKey: 'GET /users', query, claims }), lambdaContext('users'));

  beforeEach(() => {
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'staff' }] });
    // Admins have enrolled TOTP MFA (their tokens are refused otherwise).
    for (const userId of ['admin-1', 'x'])
      dynamo
        .on(GetCommand, { Key: { pk: `MFA#${userId}`, sk: `MFA#${userId}` } })
        .resolves({ Item: { kind: 'UserMfa', userId, enrolledAt: '2026-01-01T00:00:00.000Z' } });
  });

  it('pages with a cursor bound to the caller and the role filter', async () => {
    // Prepare: Cognito answers three users whatever the limit.
    cognito.on(ListUsersInGroupCommand).resolves({ Users: ['a', 'b', 'c'].map(cognitoUser) });
    // Act
    const first = await listUsers({ role: 'staff', limit: '2' });
    const nextCursor = jsonOf(first).nextCursor as string;
    const second = await listUsers({ role: 'staff', limit: '2', cursor: nextCursor });
    const otherRole = await listUsers({ role: 'admin', limit: '2', cursor: nextCursor });
    const otherAdmin = await listUsers(
      { role: 'staff', limit: '2', cursor: nextCursor },
      claimsFor(['admin'], 'x'),
    );
    // Assess
    expect(jsonOf(first)).toMatchObject({
      items: [{ id: 'a' }, { id: 'b' }],
      nextCursor: expect.any(String),
    });
    expect(jsonOf(second)).toMatchObject({ items: [{ id: 'c' }], nextCursor: null });
    for (const refused of [otherRole, otherAdmin]) {
      expect(refused.statusCode).toBe(400);
      expect(jsonOf(refused)).toMatchObject({ errors: [{ path: 'query.cursor' }] });
    }
  });

  it('refuses a recruiter inviting an admin, without creating anyone', async () => {
    const response = await users(
      httpEvent({
        routeKey: 'POST /users',
        body: { email: 'ivy@example.com', name: 'Ivy', roles: ['admin'] },
        claims: claimsFor(['recruiter'], 'recruiter-1'),
      }),
      lambdaContext('users'),
    );

    expect(response.statusCode).toBe(403);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
  });
});
