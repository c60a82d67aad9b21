import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AliasExistsException,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  type CognitoIdentityProviderServiceException,
  ConfirmSignUpCommand,
  ExpiredCodeException,
  InitiateAuthCommand,
  InternalErrorException,
  InvalidParameterException,
  InvalidPasswordException,
  LimitExceededException,
  ListUsersCommand,
  ListUsersInGroupCommand,
  NotAuthorizedException,
  PasswordResetRequiredException,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  TooManyFailedAttemptsException,
  TooManyRequestsException,
  UserNotConfirmedException,
  UserNotFoundException,
  UsernameExistsException,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BadRequest,
  Conflict,
  DependencyUnavailable,
  type DomainError,
  Forbidden,
  NotFound,
  Unauthorized,
} from '#domain/errors.ts';
import type { IdentityProvider } from '#domain/identity/ports.ts';
import { rejectionOf } from './support/rejection.ts';

const POOL = 'us-east-1_pool';
const CLIENT = 'app-client';
const SUB = '0b6c6a8e-5f0e-4c55-9f0a-3c1f5c2d7e11';

const cognito = mockClient(CognitoIdentityProviderClient);
let identity: IdentityProvider;
let userFromIdToken: typeof import('#data/cognito-identity.ts')['userFromIdToken'];

beforeAll(async () => {
  vi.stubEnv('USER_POOL_ID', POOL);
  vi.stubEnv('USER_POOL_CLIENT_ID', CLIENT);
  ({ cognitoIdentity: identity, userFromIdToken } = await import('#data/cognito-identity.ts'));
});
afterAll(() => {
  vi.unstubAllEnvs();
});
beforeEach(() => {
  cognito.reset();
});

type CognitoExceptionClass = new (options: {
  message: string;
  $metadata: object;
}) => CognitoIdentityProviderServiceException;

const cognitoError = (Exception: CognitoExceptionClass, message = 'from Cognito') =>
  new Exception({ message, $metadata: {} });

/** The error a promise rejects with (fails the test when it resolves). */
const cognitoUser = (sub: string, email: string, name: string): UserType => ({
  Username: sub,
  Attributes: [
    { Name: 'sub', Value: sub },
    { Name: 'email', Value: email },
    { Name: 'name', Value: name },
  ],
  Enabled: true,
  UserCreateDate: new Date('2026-01-05T10:00:00.000Z'),
});

const groupsOf = (byUser: Record<string, string[]>) =>
  cognito.on(AdminListGroupsForUserCommand).callsFake(async (input: { Username: string }) => ({
    Groups: (byUser[input.Username] ?? []).map((GroupName) => ({ GroupName })),
  }));

const inputsOf = <Input extends object>(command: new (input: Input) => { input: Input }) =>
  cognito.commandCalls(command as never).map((call) => call.args[0].input as Input);

describe('cognito identity: login', () => {
  it('logs in with USER_PASSWORD_AUTH and returns the tokens', async () => {
    // Prepare
    cognito.on(InitiateAuthCommand).resolves({
      AuthenticationResult: { IdToken: 'id', AccessToken: 'access', RefreshToken: 'refresh', ExpiresIn: 900 },
    });
    // Act
    const outcome = await identity.passwordLogin('nora@example.com', 'Correct-horse-42!');
    // Assess
    expect(outcome).toEqual({
      kind: 'tokens',
      tokens: { idToken: 'id', accessToken: 'access', refreshToken: 'refresh', expiresIn: 900 },
    });
    expect(inputsOf(InitiateAuthCommand)).toEqual([
      {
        ClientId: CLIENT,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'nora@example.com', PASSWORD: 'Correct-horse-42!' },
      },
    ]);
  });

  it('returns the NEW_PASSWORD_REQUIRED challenge with its session', async () => {
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's-1' });

    const outcome = await identity.passwordLogin('ivy@example.com', 'temporary');

    expect(outcome).toEqual({ kind: 'challenge', challenge: 'NEW_PASSWORD_REQUIRED', session: 's-1' });
  });

  it('refuses a challenge Shiftline does not support', async () => {
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'SMS_MFA', Session: 's-1' });

    await expect(identity.passwordLogin('ivy@example.com', 'x')).rejects.toBeInstanceOf(Forbidden);
  });

  it('answers NEW_PASSWORD_REQUIRED with the session, email and new password', async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves({
      AuthenticationResult: { IdToken: 'id', AccessToken: 'access', RefreshToken: 'refresh' },
    });

    const outcome = await identity.completeNewPassword('ivy@example.com', 's-1', 'New-password-42!');

    expect(outcome).toEqual({
      kind: 'tokens',
      tokens: { idToken: 'id', accessToken: 'access', refreshToken: 'refresh', expiresIn: 3600 },
    });
    expect(inputsOf(RespondToAuthChallengeCommand)).toEqual([
      {
        ClientId: CLIENT,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: 's-1',
        ChallengeResponses: { USERNAME: 'ivy@example.com', NEW_PASSWORD: 'New-password-42!' },
      },
    ]);
  });

  it('refreshes with REFRESH_TOKEN_AUTH and revokes with RevokeToken', async () => {
    cognito
      .on(InitiateAuthCommand)
      .resolves({ AuthenticationResult: { IdToken: 'id2', AccessToken: 'access2' } });
    cognito.on(RevokeTokenCommand).resolves({});

    const refreshed = await identity.refresh('refresh-1');
    await identity.revokeRefreshToken('refresh-1');

    expect(refreshed).toEqual({ idToken: 'id2', accessToken: 'access2', expiresIn: 3600 });
    expect(inputsOf(InitiateAuthCommand)).toEqual([
      { ClientId: CLIENT, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'refresh-1' } },
    ]);
    expect(inputsOf(RevokeTokenCommand)).toEqual([{ ClientId: CLIENT, Token: 'refresh-1' }]);
  });
});

describe('cognito identity: sign-up', () => {
  it('signs up with the email as username and the name attribute', async () => {
    cognito.on(SignUpCommand).resolves({ UserSub: SUB, UserConfirmed: false });

    const result = await identity.signUp({
      email: 'sam@example.com',
      password: 'Pass-word-42!',
      name: 'Sam',
    });

    expect(result).toEqual({ userId: SUB });
    expect(inputsOf(SignUpCommand)).toEqual([
      {
        ClientId: CLIENT,
        Username: 'sam@example.com',
        Password: 'Pass-word-42!',
        UserAttributes: [
          { Name: 'email', Value: 'sam@example.com' },
          { Name: 'name', Value: 'Sam' },
        ],
      },
    ]);
  });

  it('confirms with the code', async () => {
    cognito.on(ConfirmSignUpCommand).resolves({});

    await identity.confirmSignUp('sam@example.com', '123456');

    expect(inputsOf(ConfirmSignUpCommand)).toEqual([
      { ClientId: CLIENT, Username: 'sam@example.com', ConfirmationCode: '123456' },
    ]);
  });
});

type Operation = (identity: IdentityProvider) => Promise<unknown>;
const OPERATIONS = {
  login: {
    command: InitiateAuthCommand,
    call: (provider: IdentityProvider) => provider.passwordLogin('nora@example.com', 'pw'),
  },
  newPassword: {
    command: RespondToAuthChallengeCommand,
    call: (provider: IdentityProvider) => provider.completeNewPassword('ivy@example.com', 's-1', 'pw'),
  },
  signUp: {
    command: SignUpCommand,
    call: (provider: IdentityProvider) =>
      provider.signUp({ email: 'sam@example.com', password: 'pw', name: 'S' }),
  },
  confirm: {
    command: ConfirmSignUpCommand,
    call: (provider: IdentityProvider) => provider.confirmSignUp('sam@example.com', '123456'),
  },
  refresh: { command: InitiateAuthCommand, call: (provider: IdentityProvider) => provider.refresh('r') },
  logout: {
    command: RevokeTokenCommand,
    call: (provider: IdentityProvider) => provider.revokeRefreshToken('r'),
  },
  invite: {
    command: AdminCreateUserCommand,
    call: (provider: IdentityProvider) =>
      provider.inviteUser({ email: 'ivy@example.com', name: 'Ivy', roles: ['staff'] }),
  },
  disable: {
    command: AdminDisableUserCommand,
    call: (provider: IdentityProvider) => provider.disableUser(SUB),
  },
  setRoles: {
    command: AdminListGroupsForUserCommand,
    call: (provider: IdentityProvider) => provider.setRoles(SUB, ['staff']),
  },
  getUser: { command: AdminGetUserCommand, call: (provider: IdentityProvider) => provider.getUser(SUB) },
  listUsers: {
    command: ListUsersCommand,
    call: (provider: IdentityProvider) => provider.listUsers({ limit: 10 }),
  },
} satisfies Record<string, { command: unknown; call: Operation }>;

interface TranslationRow {
  operation: keyof typeof OPERATIONS;
  exception: CognitoExceptionClass;
  expected: new (...args: never[]) => DomainError;
  status: number;
  message?: string;
  path?: string;
}

const WRONG_LOGIN = 'Wrong email or password';

const TRANSLATIONS: TranslationRow[] = [
  // Login: a wrong password and an unknown email are one and the same 401.
  {
    operation: 'login',
    exception: NotAuthorizedException,
    expected: Unauthorized,
    status: 401,
    message: WRONG_LOGIN,
  },
  {
    operation: 'login',
    exception: UserNotFoundException,
    expected: Unauthorized,
    status: 401,
    message: WRONG_LOGIN,
  },
  {
    operation: 'login',
    exception: InvalidPasswordException,
    expected: Unauthorized,
    status: 401,
    message: WRONG_LOGIN,
  },
  { operation: 'login', exception: UserNotConfirmedException, expected: Forbidden, status: 403 },
  { operation: 'login', exception: PasswordResetRequiredException, expected: Forbidden, status: 403 },
  { operation: 'login', exception: TooManyRequestsException, expected: DependencyUnavailable, status: 503 },
  { operation: 'login', exception: LimitExceededException, expected: DependencyUnavailable, status: 503 },
  {
    operation: 'login',
    exception: TooManyFailedAttemptsException,
    expected: DependencyUnavailable,
    status: 503,
  },
  // The NEW_PASSWORD_REQUIRED answer: its fields are session and newPassword.
  {
    operation: 'newPassword',
    exception: NotAuthorizedException,
    expected: Unauthorized,
    status: 401,
    message: 'The session is invalid or expired: log in again',
  },
  {
    operation: 'newPassword',
    exception: InvalidPasswordException,
    expected: BadRequest,
    status: 400,
    path: 'body.newPassword',
  },
  {
    operation: 'newPassword',
    exception: CodeMismatchException,
    expected: BadRequest,
    status: 400,
    path: 'body.session',
  },
  // Sign-up and confirmation.
  { operation: 'signUp', exception: UsernameExistsException, expected: Conflict, status: 409 },
  { operation: 'signUp', exception: AliasExistsException, expected: Conflict, status: 409 },
  {
    operation: 'signUp',
    exception: InvalidPasswordException,
    expected: BadRequest,
    status: 400,
    path: 'body.password',
  },
  { operation: 'signUp', exception: InvalidParameterException, expected: BadRequest, status: 400 },
  {
    operation: 'confirm',
    exception: CodeMismatchException,
    expected: BadRequest,
    status: 400,
    path: 'body.code',
  },
  {
    operation: 'confirm',
    exception: ExpiredCodeException,
    expected: BadRequest,
    status: 400,
    path: 'body.code',
  },
  { operation: 'confirm', exception: UserNotFoundException, expected: BadRequest, status: 400 },
  // Tokens.
  { operation: 'refresh', exception: NotAuthorizedException, expected: Unauthorized, status: 401 },
  { operation: 'logout', exception: NotAuthorizedException, expected: Unauthorized, status: 401 },
  { operation: 'refresh', exception: TooManyRequestsException, expected: DependencyUnavailable, status: 503 },
  // Administration.
  { operation: 'invite', exception: UsernameExistsException, expected: Conflict, status: 409 },
  { operation: 'invite', exception: TooManyRequestsException, expected: DependencyUnavailable, status: 503 },
  { operation: 'disable', exception: UserNotFoundException, expected: NotFound, status: 404 },
  { operation: 'setRoles', exception: UserNotFoundException, expected: NotFound, status: 404 },
  {
    operation: 'setRoles',
    exception: TooManyRequestsException,
    expected: DependencyUnavailable,
    status: 503,
  },
  { operation: 'getUser', exception: TooManyRequestsException, expected: DependencyUnavailable, status: 503 },
  {
    operation: 'listUsers',
    exception: TooManyRequestsException,
    expected: DependencyUnavailable,
    status: 503,
  },
];

describe('cognito identity: error translation', () => {
  it.each(TRANSLATIONS)(
    '$operation: $exception.name → $expected.name ($status)',
    async ({ operation, exception, expected, status, message, path }) => {
      // Prepare
      const { command, call } = OPERATIONS[operation];
      cognito.on(command as never).rejects(cognitoError(exception, 'Cognito says: nora@example.com'));
      // Act
      const error = await rejectionOf(call(identity));
      // Assess
      expect(error).toBeInstanceOf(expected);
      expect((error as DomainError).status).toBe(status);
      // Cognito's own message (which may hold the email) never becomes the problem's detail.
      expect((error as DomainError).message).not.toContain('nora@example.com');
      if (message !== undefined) expect((error as DomainError).message).toBe(message);
      if (path !== undefined) expect((error as BadRequest).errors.map((entry) => entry.path)).toEqual([path]);
    },
  );

  it('answers 503 when Cognito throttles a group change', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: cognitoUser(SUB, 'ivy@example.com', 'Ivy') });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
    cognito.on(AdminAddUserToGroupCommand).rejects(cognitoError(TooManyRequestsException));
    cognito.on(AdminDeleteUserCommand).resolves({});

    const invite = await rejectionOf(
      identity.inviteUser({ email: 'ivy@example.com', name: 'Ivy', roles: ['staff'] }),
    );
    const setRoles = await rejectionOf(identity.setRoles(SUB, ['admin']));

    expect(invite).toBeInstanceOf(DependencyUnavailable);
    expect(setRoles).toBeInstanceOf(DependencyUnavailable);
  });

  it('gives Retry-After on throttling', async () => {
    cognito.on(InitiateAuthCommand).rejects(cognitoError(TooManyRequestsException));

    const error = await rejectionOf(identity.passwordLogin('nora@example.com', 'pw'));

    expect((error as DependencyUnavailable).retryAfterSeconds).toBe(5);
  });

  it('passes an unexpected Cognito exception and a non-Cognito error through unchanged', async () => {
    const internal = cognitoError(InternalErrorException);
    const network = new Error('socket hang up');
    cognito.on(InitiateAuthCommand).rejectsOnce(internal).rejectsOnce(network);

    expect(await rejectionOf(identity.passwordLogin('nora@example.com', 'pw'))).toBe(internal);
    expect(await rejectionOf(identity.passwordLogin('nora@example.com', 'pw'))).toBe(network);
  });
});

describe('cognito identity: users', () => {
  it('invites by email with a temporary password sent by EMAIL, then joins each group by sub', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: cognitoUser(SUB, 'ivy@example.com', 'Ivy') });
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    const user = await identity.inviteUser({
      email: 'ivy@example.com',
      name: 'Ivy',
      roles: ['recruiter', 'staff'],
    });

    expect(inputsOf(AdminCreateUserCommand)).toEqual([
      {
        UserPoolId: POOL,
        Username: 'ivy@example.com',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [
          { Name: 'email', Value: 'ivy@example.com' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: 'Ivy' },
        ],
      },
    ]);
    expect(inputsOf(AdminAddUserToGroupCommand)).toEqual([
      { UserPoolId: POOL, Username: SUB, GroupName: 'recruiter' },
      { UserPoolId: POOL, Username: SUB, GroupName: 'staff' },
    ]);
    expect(user).toEqual({
      id: SUB,
      email: 'ivy@example.com',
      name: 'Ivy',
      roles: ['recruiter', 'staff'],
      enabled: true,
      createdAt: '2026-01-05T10:00:00.000Z',
    });
  });

  it('reads a user with their roles, ignoring groups that are not roles', async () => {
    cognito.on(AdminGetUserCommand).resolves({
      Username: SUB,
      UserAttributes: cognitoUser(SUB, 'nora@example.com', 'Nora').Attributes,
      Enabled: false,
      UserCreateDate: new Date('2026-01-05T10:00:00.000Z'),
    });
    groupsOf({ [SUB]: ['staff', 'us-east-1_pool_Google'] });

    const user = await identity.getUser(SUB);

    expect(user).toEqual({
      id: SUB,
      email: 'nora@example.com',
      name: 'Nora',
      roles: ['staff'],
      enabled: false,
      createdAt: '2026-01-05T10:00:00.000Z',
    });
    expect(inputsOf(AdminGetUserCommand)).toEqual([{ UserPoolId: POOL, Username: SUB }]);
  });

  it('answers undefined for an unknown user', async () => {
    cognito.on(AdminGetUserCommand).rejects(cognitoError(UserNotFoundException));

    expect(await identity.getUser(SUB)).toBeUndefined();
  });

  it('lists all users with ListUsers, at most 60 a call, passing the page token on, without role lookups', async () => {
    cognito.on(ListUsersCommand).resolves({
      Users: [cognitoUser('sub-a', 'a@example.com', 'A'), cognitoUser('sub-b', 'b@example.com', 'B')],
      PaginationToken: 'next-page',
    });
    groupsOf({ 'sub-a': ['admin'], 'sub-b': ['staff', 'credentialing'] });

    const page = await identity.listUsers({ limit: 100, pageToken: 'this-page' });

    expect(inputsOf(ListUsersCommand)).toEqual([
      { UserPoolId: POOL, Limit: 60, PaginationToken: 'this-page' },
    ]);
    expect(cognito.commandCalls(ListUsersInGroupCommand)).toHaveLength(0);
    expect(page.nextPageToken).toBe('next-page');
    expect(page.users.map((user) => [user.id, user.email])).toEqual([
      ['sub-a', 'a@example.com'],
      ['sub-b', 'b@example.com'],
    ]);
    expect(cognito.commandCalls(AdminListGroupsForUserCommand)).toHaveLength(0);
    expect(await identity.rolesOf('sub-b')).toEqual(['staff', 'credentialing']);
  });

  it('undoes an invitation whose group assignment fails, so a retry can succeed', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: cognitoUser(SUB, 'ivy@example.com', 'Ivy') });
    cognito.on(AdminAddUserToGroupCommand).rejects(cognitoError(TooManyRequestsException));
    cognito.on(AdminDeleteUserCommand).resolves({});

    const error = await rejectionOf(
      identity.inviteUser({ email: 'ivy@example.com', name: 'Ivy', roles: ['staff'] }),
    );

    expect(error).toBeInstanceOf(DependencyUnavailable);
    expect(inputsOf(AdminDeleteUserCommand)).toEqual([{ UserPoolId: POOL, Username: SUB }]);
  });

  it('lists the users of one role with ListUsersInGroup', async () => {
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [cognitoUser('sub-a', 'a@example.com', 'A')] });
    groupsOf({ 'sub-a': ['recruiter'] });

    const page = await identity.listUsers({ role: 'recruiter', limit: 25 });

    expect(inputsOf(ListUsersInGroupCommand)).toEqual([
      { UserPoolId: POOL, GroupName: 'recruiter', Limit: 25, NextToken: undefined },
    ]);
    expect(cognito.commandCalls(ListUsersCommand)).toHaveLength(0);
    expect(page).toEqual({ users: [expect.objectContaining({ id: 'sub-a', email: 'a@example.com' })] });
  });

  it('sets roles by adding the missing groups and removing the extra ones, leaving the rest', async () => {
    let groups = ['staff', 'recruiter'];
    cognito
      .on(AdminListGroupsForUserCommand)
      .callsFake(async () => ({ Groups: groups.map((GroupName) => ({ GroupName })) }));
    cognito.on(AdminAddUserToGroupCommand).callsFake(async (input: { GroupName: string }) => {
      groups = [...groups, input.GroupName];
      return {};
    });
    cognito.on(AdminRemoveUserFromGroupCommand).callsFake(async (input: { GroupName: string }) => {
      groups = groups.filter((group) => group !== input.GroupName);
      return {};
    });
    cognito.on(AdminGetUserCommand).resolves({
      Username: SUB,
      UserAttributes: cognitoUser(SUB, 'nora@example.com', 'Nora').Attributes,
    });

    const user = await identity.setRoles(SUB, ['recruiter', 'admin']);

    expect(inputsOf(AdminAddUserToGroupCommand)).toEqual([
      { UserPoolId: POOL, Username: SUB, GroupName: 'admin' },
    ]);
    expect(inputsOf(AdminRemoveUserFromGroupCommand)).toEqual([
      { UserPoolId: POOL, Username: SUB, GroupName: 'staff' },
    ]);
    expect([...user.roles].sort()).toEqual(['admin', 'recruiter']);
  });

  it('disables a user by sub', async () => {
    cognito.on(AdminDisableUserCommand).resolves({});

    await identity.disableUser(SUB);

    expect(inputsOf(AdminDisableUserCommand)).toEqual([{ UserPoolId: POOL, Username: SUB }]);
  });
});

describe('cognito identity: id token claims', () => {
  it('reads the user from an id token, keeping only known roles', () => {
    const idToken = new UnsecuredJWT({
      email: 'nora@example.com',
      name: 'Nora',
      'cognito:groups': ['staff', 'us-east-1_pool_Google'],
    })
      .setSubject(SUB)
      .encode();

    expect(userFromIdToken(idToken)).toEqual({
      id: SUB,
      email: 'nora@example.com',
      name: 'Nora',
      roles: ['staff'],
    });
  });

  it('leaves the name undefined when the token has none', () => {
    const idToken = new UnsecuredJWT({ email: 'nora@example.com' }).setSubject(SUB).encode();

    expect(userFromIdToken(idToken)).toEqual({
      id: SUB,
      email: 'nora@example.com',
      name: undefined,
      roles: [],
    });
  });
});
