/**
 * The Cognito client mocked for the identity provider's unit tests: the pool settings the
 * provider reads, a reset before each test, and helpers to answer and inspect its calls.
 */
import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  type CognitoIdentityProviderServiceException,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, vi } from 'vitest';

export const POOL = 'us-east-1_pool';
export const CLIENT = 'app-client';
export const SUB = '0b6c6a8e-5f0e-4c55-9f0a-3c1f5c2d7e11';

export const cognito = mockClient(CognitoIdentityProviderClient);

/** Registers the file's hooks: the pool's settings for the whole file, a fresh mock per test. */
export const useCognitoPool = () => {
  beforeAll(() => {
    vi.stubEnv('USER_POOL_ID', POOL);
    vi.stubEnv('USER_POOL_CLIENT_ID', CLIENT);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });
  beforeEach(() => {
    cognito.reset();
  });
};

export type CognitoExceptionClass = new (options: {
  message: string;
  $metadata: object;
}) => CognitoIdentityProviderServiceException;

export const cognitoError = (Exception: CognitoExceptionClass, message = 'from Cognito') =>
  new Exception({ message, $metadata: {} });

export const cognitoUser = (sub: string, email: string, name: string): UserType => ({
  Username: sub,
  Attributes: [
    { Name: 'sub', Value: sub },
    { Name: 'email', Value: email },
    { Name: 'name', Value: name },
  ],
  Enabled: true,
  UserCreateDate: new Date('2026-01-05T10:00:00.000Z'),
});

/** Answers each user's groups from the map (none for a user it does not name). */
export const groupsOf = (byUser: Record<string, string[]>) =>
  cognito.on(AdminListGroupsForUserCommand).callsFake(async (input: { Username: string }) => ({
    Groups: (byUser[input.Username] ?? []).map((GroupName) => ({ GroupName })),
  }));

/** The inputs of every call of one command, in order. */
export const inputsOf = <Input extends object>(command: new (input: Input) => { input: Input }) =>
  cognito.commandCalls(command as never).map((call) => call.args[0].input as Input);
