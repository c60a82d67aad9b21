import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AliasExistsException,
  CodeMismatchException,
  ConfirmSignUpCommand,
  ExpiredCodeException,
  InitiateAuthCommand,
  InternalErrorException,
  InvalidParameterException,
  InvalidPasswordException,
  LimitExceededException,
  ListUsersCommand,
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
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { cognitoIdentity as identity } from '#data/cognito-identity.ts';
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
import {
  type CognitoExceptionClass,
  cognito,
  cognitoError,
  cognitoUser,
  SUB,
  useCognitoPool,
} from './support/cognito.ts';
import { rejectionOf } from './support/rejection.ts';

useCognitoPool();

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
