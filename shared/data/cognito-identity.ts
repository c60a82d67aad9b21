/**
 * The identity provider on Cognito (cognito-local in the twin: same API). Maps Cognito's
 * exceptions onto domain errors; never logs or echoes emails or passwords.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  type AttributeType,
  type AuthenticationResultType,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import {
  BadRequest,
  Conflict,
  DependencyUnavailable,
  Forbidden,
  NotFound,
  Unauthorized,
} from '#domain/errors.ts';
import type {
  IdentityProvider,
  IdentityUser,
  LoginOutcome,
  SessionTokens,
  UserRecord,
} from '#domain/identity/ports.ts';
import { isRole, type Role } from '#domain/roles.ts';
import { requireEnv } from '#runtime/config.ts';

const cognito = new CognitoIdentityProviderClient({});

const WRONG_LOGIN = 'Wrong email or password';

const INVALID_SESSION = 'The session is invalid or expired: log in again';

/**
 * Cognito's exception names → domain errors. cognito-local raises InvalidPasswordException for a
 * wrong password. `challenge` answers NEW_PASSWORD_REQUIRED, whose fields are `session` and
 * `newPassword`: its problems name those.
 */
const translate = (
  error: unknown,
  during: 'login' | 'challenge' | 'signup' | 'confirm' | 'token' | 'admin',
): never => {
  if (!(error instanceof CognitoIdentityProviderServiceException)) throw error;
  switch (error.name) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      if (during === 'admin') throw new NotFound('No such user');
      if (during === 'token') throw new Unauthorized('The token is invalid, expired or revoked');
      if (during === 'confirm') throw new BadRequest('The code is invalid or expired');
      if (during === 'challenge') throw new Unauthorized(INVALID_SESSION);
      throw new Unauthorized(WRONG_LOGIN);
    case 'InvalidPasswordException':
      if (during === 'login') throw new Unauthorized(WRONG_LOGIN);
      throw new BadRequest('The password does not meet the policy', [
        { path: during === 'challenge' ? 'body.newPassword' : 'body.password', message: error.message },
      ]);
    case 'UsernameExistsException':
    case 'AliasExistsException':
      throw new Conflict('An account with this email already exists');
    case 'CodeMismatchException':
    case 'ExpiredCodeException':
      if (during === 'challenge') {
        throw new BadRequest(INVALID_SESSION, [{ path: 'body.session', message: 'invalid or expired' }]);
      }
      throw new BadRequest('The code is invalid or expired', [
        { path: 'body.code', message: 'invalid or expired' },
      ]);
    case 'UserNotConfirmedException':
      throw new Forbidden('Confirm your email address before logging in');
    case 'PasswordResetRequiredException':
      throw new Forbidden('A password reset is required');
    case 'InvalidParameterException':
      throw new BadRequest(
        during === 'token' ? 'The session is invalid or expired' : 'Cognito refused the input',
      );
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      throw new DependencyUnavailable('The identity service is throttling; retry shortly', {
        retryAfterSeconds: 5,
      });
    default:
      throw error;
  }
};

const clientId = () => requireEnv('userPoolClientId');
const userPoolId = () => requireEnv('userPoolId');

/** Admin API calls: throttled is a 503 with Retry-After here too, never a 500. */
const adminCall = <T>(call: Promise<T>): Promise<T> =>
  call.catch((error: unknown) => translate(error, 'admin'));

const attribute = (attributes: readonly AttributeType[] | undefined, name: string): string =>
  attributes?.find((entry) => entry.Name === name)?.Value ?? '';

const rolesOf = async (userId: string): Promise<Role[]> => {
  const { Groups = [] } = await adminCall(
    cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: userPoolId(), Username: userId, Limit: 10 }),
    ),
  );
  return Groups.map((group) => group.GroupName ?? '').filter(isRole);
};

const toRecord = (
  user:
    | UserType
    | { Username?: string; UserAttributes?: AttributeType[]; Enabled?: boolean; UserCreateDate?: Date },
): UserRecord => {
  const attributes =
    'Attributes' in user ? user.Attributes : 'UserAttributes' in user ? user.UserAttributes : [];
  return {
    id: attribute(attributes, 'sub') || (user.Username ?? ''),
    email: attribute(attributes, 'email'),
    name: attribute(attributes, 'name'),
    enabled: user.Enabled ?? true,
    createdAt: (user.UserCreateDate ?? new Date(0)).toISOString(),
  };
};

const toUser = async (user: Parameters<typeof toRecord>[0]): Promise<IdentityUser> => {
  const record = toRecord(user);
  return { ...record, roles: await rolesOf(record.id) };
};

const sessionTokens = (result: AuthenticationResultType | undefined): SessionTokens => {
  if (!result?.IdToken || !result.AccessToken) throw new Error('Cognito returned no tokens');
  return { idToken: result.IdToken, accessToken: result.AccessToken, expiresIn: result.ExpiresIn ?? 3600 };
};

const outcomeOf = (response: {
  AuthenticationResult?: AuthenticationResultType;
  ChallengeName?: string;
  Session?: string;
}): LoginOutcome => {
  if (response.ChallengeName === 'NEW_PASSWORD_REQUIRED' && response.Session) {
    return { kind: 'challenge', challenge: 'NEW_PASSWORD_REQUIRED', session: response.Session };
  }
  if (response.ChallengeName) throw new Forbidden(`Unsupported login challenge ${response.ChallengeName}`);
  const refreshToken = response.AuthenticationResult?.RefreshToken;
  if (!refreshToken) throw new Error('Cognito returned no refresh token');
  return { kind: 'tokens', tokens: { ...sessionTokens(response.AuthenticationResult), refreshToken } };
};

export const cognitoIdentity: IdentityProvider = {
  signUp: async ({ email, password, name }) => {
    const response = await cognito
      .send(
        new SignUpCommand({
          ClientId: clientId(),
          Username: email,
          Password: password,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'name', Value: name },
          ],
        }),
      )
      .catch((error: unknown) => translate(error, 'signup'));
    if (!response.UserSub) throw new Error('Cognito returned no user id');
    return { userId: response.UserSub };
  },

  confirmSignUp: async (email, code) => {
    await cognito
      .send(new ConfirmSignUpCommand({ ClientId: clientId(), Username: email, ConfirmationCode: code }))
      .catch((error: unknown) => translate(error, 'confirm'));
  },

  passwordLogin: async (email, password) => {
    const response = await cognito
      .send(
        new InitiateAuthCommand({
          ClientId: clientId(),
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      )
      .catch((error: unknown) => translate(error, 'login'));
    return outcomeOf(response);
  },

  completeNewPassword: async (email, session, newPassword) => {
    const response = await cognito
      .send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId(),
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD: newPassword },
        }),
      )
      .catch((error: unknown) => translate(error, 'challenge'));
    return outcomeOf(response);
  },

  refresh: async (refreshToken) => {
    const response = await cognito
      .send(
        new InitiateAuthCommand({
          ClientId: clientId(),
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      )
      .catch((error: unknown) => translate(error, 'token'));
    return sessionTokens(response.AuthenticationResult);
  },

  revokeRefreshToken: async (refreshToken) => {
    await cognito
      .send(new RevokeTokenCommand({ ClientId: clientId(), Token: refreshToken }))
      .catch((error: unknown) => translate(error, 'token'));
  },

  getUser: async (userId) => {
    const user = await cognito
      .send(new AdminGetUserCommand({ UserPoolId: userPoolId(), Username: userId }))
      .catch((error: unknown) => {
        if (
          error instanceof CognitoIdentityProviderServiceException &&
          error.name === 'UserNotFoundException'
        ) {
          return undefined;
        }
        return translate(error, 'admin');
      });
    return user && toUser(user);
  },

  inviteUser: async ({ email, name, roles }) => {
    const { User } = await cognito
      .send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId(),
          Username: email,
          DesiredDeliveryMediums: ['EMAIL'],
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: name },
          ],
        }),
      )
      .catch((error: unknown) => translate(error, 'signup'));
    const id = attribute(User?.Attributes, 'sub') || (User?.Username ?? '');
    try {
      for (const role of roles) {
        await adminCall(
          cognito.send(
            new AdminAddUserToGroupCommand({ UserPoolId: userPoolId(), Username: id, GroupName: role }),
          ),
        );
      }
    } catch (error) {
      // A user without their roles must not linger (a retry would find the email taken): undo.
      await cognito
        .send(new AdminDeleteUserCommand({ UserPoolId: userPoolId(), Username: id }))
        .catch(() => undefined);
      throw error;
    }
    return {
      id,
      email,
      name,
      roles: [...roles],
      enabled: true,
      createdAt: (User?.UserCreateDate ?? new Date()).toISOString(),
    };
  },

  listUsers: async ({ role, limit, pageToken }) => {
    const page = role
      ? await adminCall(
          cognito.send(
            new ListUsersInGroupCommand({
              UserPoolId: userPoolId(),
              GroupName: role,
              Limit: Math.min(limit, 60),
              NextToken: pageToken,
            }),
          ),
        ).then((response) => ({ users: response.Users ?? [], next: response.NextToken }))
      : await adminCall(
          cognito.send(
            new ListUsersCommand({
              UserPoolId: userPoolId(),
              Limit: Math.min(limit, 60),
              PaginationToken: pageToken,
            }),
          ),
        ).then((response) => ({ users: response.Users ?? [], next: response.PaginationToken }));
    return { users: page.users.map(toRecord), nextPageToken: page.next };
  },

  rolesOf,

  setRoles: async (userId, roles) => {
    const current = await rolesOf(userId);
    const user = { UserPoolId: userPoolId(), Username: userId };
    for (const role of roles.filter((role) => !current.includes(role))) {
      await adminCall(cognito.send(new AdminAddUserToGroupCommand({ ...user, GroupName: role })));
    }
    for (const role of current.filter((role) => !roles.includes(role))) {
      await adminCall(cognito.send(new AdminRemoveUserFromGroupCommand({ ...user, GroupName: role })));
    }
    const updated = await cognitoIdentity.getUser(userId);
    if (!updated) throw new NotFound('No such user');
    return updated;
  },

  disableUser: async (userId) => {
    await cognito
      .send(new AdminDisableUserCommand({ UserPoolId: userPoolId(), Username: userId }))
      .catch((error: unknown) => translate(error, 'admin'));
  },
};

/** Claims of a token Cognito has just issued (no need to verify what we received from it). */
export const userFromIdToken = (idToken: string) => {
  const claims = decodeJwt(idToken);
  const groups = claims['cognito:groups'];
  return {
    id: String(claims.sub ?? ''),
    email: String(claims.email ?? ''),
    name: typeof claims.name === 'string' ? claims.name : undefined,
    roles: (Array.isArray(groups) ? groups : []).map(String).filter(isRole),
  };
};
