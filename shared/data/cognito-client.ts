/**
 * The one Cognito client of a container (cognito-local in the twin: same API), the pool and app
 * client it works on, and Cognito's exceptions as domain errors. Never logs or echoes emails or
 * passwords: Cognito's own messages may hold them.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  BadRequest,
  Conflict,
  DependencyUnavailable,
  Forbidden,
  NotFound,
  Unauthorized,
} from '#domain/errors.ts';
import { requireEnv } from '#runtime/config.ts';

type CognitoSdk = typeof import('@aws-sdk/client-cognito-identity-provider');

// The SDK is loaded with the first identity call, not at cold start (~20 ms of a cold import
// here): messaging, staff and the WebSocket functions reach Cognito only on rare paths (opening a
// conversation, a revocation), and a dynamic import of an external package is all esbuild leaves lazy.
let loadedSdk: CognitoSdk | undefined;
let loading: Promise<{ sdk: CognitoSdk; client: CognitoIdentityProviderClient }> | undefined;
const load = () => {
  loading ??= import('@aws-sdk/client-cognito-identity-provider').then((sdk) => {
    loadedSdk = sdk;
    return { sdk, client: new sdk.CognitoIdentityProviderClient({}) };
  });
  return loading;
};

/** The one Cognito client of a container. */
export const cognito = async (): Promise<CognitoIdentityProviderClient> => (await load()).client;

/** The SDK's command classes: `new (await commands()).AdminGetUserCommand(...)`. */
export const commands = async (): Promise<CognitoSdk> => (await load()).sdk;

/** Whether `error` is a service exception of Cognito (one can only come after the SDK loaded). */
export const isCognitoException = (
  error: unknown,
): error is InstanceType<CognitoSdk['CognitoIdentityProviderServiceException']> =>
  loadedSdk !== undefined && error instanceof loadedSdk.CognitoIdentityProviderServiceException;

export const clientId = () => requireEnv('userPoolClientId');
export const userPoolId = () => requireEnv('userPoolId');

const WRONG_LOGIN = 'Wrong email or password';

const INVALID_SESSION = 'The session is invalid or expired: log in again';

const CODE_ERROR = { path: 'body.code', message: 'invalid or expired' };

const NEW_PASSWORD_STEPS: readonly CognitoStep[] = ['challenge', 'reset', 'change'];

/** What was being done when Cognito refused: the same exception means different things. */
export type CognitoStep =
  | 'login'
  | 'challenge'
  | 'signup'
  | 'confirm'
  | 'token'
  | 'admin'
  /** ConfirmForgotPassword: `code` and `newPassword`. */
  | 'reset'
  /** ChangePassword: `currentPassword` and `newPassword`. */
  | 'change'
  /** The SOFTWARE_TOKEN_MFA challenge: a wrong code is a failed login. */
  | 'mfa'
  /** AssociateSoftwareToken and VerifySoftwareToken with an access token: `code`. */
  | 'enrol';

/**
 * Cognito's exception names → domain errors. cognito-local raises InvalidPasswordException for a
 * wrong password. `challenge` answers NEW_PASSWORD_REQUIRED, whose fields are `session` and
 * `newPassword`: its problems name those.
 */
export const translate = (error: unknown, during: CognitoStep): never => {
  if (!isCognitoException(error)) throw error;
  if (during === 'mfa' || during === 'enrol') return translateMfa(error, during);
  switch (error.name) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      if (during === 'admin') throw new NotFound('No such user');
      if (during === 'change')
        throw new Unauthorized('The current password is wrong, or the token is invalid');
      if (during === 'reset') throw new BadRequest('The code is invalid or expired', [CODE_ERROR]);
      if (during === 'token') throw new Unauthorized('The token is invalid, expired or revoked');
      if (during === 'confirm') throw new BadRequest('The code is invalid or expired');
      if (during === 'challenge') throw new Unauthorized(INVALID_SESSION);
      throw new Unauthorized(WRONG_LOGIN);
    case 'InvalidPasswordException':
      if (during === 'login') throw new Unauthorized(WRONG_LOGIN);
      throw new BadRequest('The password does not meet the policy', [
        {
          path: NEW_PASSWORD_STEPS.includes(during) ? 'body.newPassword' : 'body.password',
          message: error.message,
        },
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

/** TOTP steps: a wrong code at login is a failed login (401); at enrolment, a wrong field (400). */
const translateMfa = (
  error: InstanceType<CognitoSdk['CognitoIdentityProviderServiceException']>,
  during: 'mfa' | 'enrol',
): never => {
  switch (error.name) {
    case 'CodeMismatchException':
    case 'ExpiredCodeException':
    case 'EnableSoftwareTokenMFAException':
      if (during === 'mfa') throw new Unauthorized('The code is wrong or expired');
      throw new BadRequest('The code is wrong or expired', [CODE_ERROR]);
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      throw new Unauthorized(during === 'mfa' ? INVALID_SESSION : 'The token is invalid, expired or revoked');
    case 'InvalidParameterException':
      throw new BadRequest('Associate a secret first: POST /auth/mfa/setup');
    default:
      return translate(error, 'token');
  }
};

/** Admin API calls: throttled is a 503 with Retry-After here too, never a 500. */
export const adminCall = <T>(call: Promise<T>): Promise<T> =>
  call.catch((error: unknown) => translate(error, 'admin'));
