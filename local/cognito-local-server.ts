/**
 * Runs cognito-local with the few Cognito behaviours it lacks and Shiftline relies on, so the
 * twin answers as Cognito does (each one is asserted by the e2e auth story):
 * - the pool's password policy is enforced on SignUp, NEW_PASSWORD_REQUIRED and
 *   AdminSetUserPassword (cognito-local accepts any password);
 * - a disabled user can neither log in nor refresh (cognito-local ignores Enabled);
 * - the refresh token issued on answering NEW_PASSWORD_REQUIRED works (cognito-local forgets it);
 * - id tokens carry the user's standard attributes such as `name`, as Cognito's do
 *   (cognito-local puts only email and custom attributes in them).
 * Started by local/identity.ts in place of cognito-local's own bin.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface PasswordPolicy {
  MinimumLength?: number;
  RequireLowercase?: boolean;
  RequireUppercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
}
interface LocalUser {
  Enabled?: boolean;
}
interface LocalUserPool {
  options: { Policies?: { PasswordPolicy?: PasswordPolicy } };
  getUserByUsername(ctx: unknown, username: string): Promise<LocalUser | null>;
  getUserByRefreshToken(ctx: unknown, token: string): Promise<LocalUser | null>;
  storeRefreshToken(ctx: unknown, token: string, user: LocalUser): Promise<void>;
}
interface Services {
  cognito: {
    getUserPoolForClientId(ctx: unknown, clientId: string): Promise<LocalUserPool>;
    getUserPool(ctx: unknown, userPoolId: string): Promise<LocalUserPool>;
  };
}
type Request = Record<string, unknown> & {
  ClientId?: string;
  UserPoolId?: string;
  AuthFlow?: string;
  AuthParameters?: Record<string, string>;
  ChallengeName?: string;
  ChallengeResponses?: Record<string, string>;
  Password?: string;
};
type Target = (services: Services) => (ctx: unknown, request: Request) => Promise<Record<string, unknown>>;

const { Targets } = require('cognito-local/lib/targets/targets') as { Targets: Record<string, Target> };
const { CognitoError, NotAuthorizedError } = require('cognito-local/lib/errors') as {
  CognitoError: new (code: string, message: string) => Error;
  NotAuthorizedError: new (message?: string) => Error;
};

const policyViolation = (password: string, policy: PasswordPolicy | undefined): string | undefined => {
  if (!policy) return undefined;
  if (password.length < (policy.MinimumLength ?? 8))
    return `Password not long enough (minimum ${policy.MinimumLength})`;
  if (policy.RequireLowercase && !/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (policy.RequireNumbers && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (policy.RequireSymbols && !/[^A-Za-z0-9]/.test(password)) return 'Password must have symbol characters';
  return undefined;
};

const enforcePolicy = (password: string | undefined, pool: LocalUserPool) => {
  const violation = policyViolation(password ?? '', pool.options.Policies?.PasswordPolicy);
  if (violation)
    throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${violation}`);
};

const refuseDisabled = (user: LocalUser | null) => {
  if (user?.Enabled === false) throw new NotAuthorizedError('User is disabled.');
};

const wrap = (
  name: string,
  around: (services: Services, inner: ReturnType<Target>) => ReturnType<Target>,
) => {
  const original = Targets[name];
  if (!original) throw new Error(`cognito-local has no ${name} target`);
  Targets[name] = (services) => around(services, original(services));
};

wrap('SignUp', (services, inner) => async (ctx, request) => {
  enforcePolicy(request.Password, await services.cognito.getUserPoolForClientId(ctx, request.ClientId ?? ''));
  return inner(ctx, request);
});

wrap('AdminSetUserPassword', (services, inner) => async (ctx, request) => {
  enforcePolicy(request.Password, await services.cognito.getUserPool(ctx, request.UserPoolId ?? ''));
  return inner(ctx, request);
});

wrap('InitiateAuth', (services, inner) => async (ctx, request) => {
  const pool = await services.cognito.getUserPoolForClientId(ctx, request.ClientId ?? '');
  const parameters = request.AuthParameters ?? {};
  if (request.AuthFlow === 'USER_PASSWORD_AUTH' && parameters.USERNAME) {
    refuseDisabled(await pool.getUserByUsername(ctx, parameters.USERNAME));
  }
  if (request.AuthFlow?.startsWith('REFRESH_TOKEN') && parameters.REFRESH_TOKEN) {
    refuseDisabled(await pool.getUserByRefreshToken(ctx, parameters.REFRESH_TOKEN));
  }
  return inner(ctx, request);
});

wrap('RespondToAuthChallenge', (services, inner) => async (ctx, request) => {
  const pool = await services.cognito.getUserPoolForClientId(ctx, request.ClientId ?? '');
  const username = request.ChallengeResponses?.USERNAME ?? '';
  if (request.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    enforcePolicy(request.ChallengeResponses?.NEW_PASSWORD, pool);
  }
  const response = await inner(ctx, request);
  const refreshToken = (response.AuthenticationResult as { RefreshToken?: string } | undefined)?.RefreshToken;
  const user = await pool.getUserByUsername(ctx, username);
  if (refreshToken && user) await pool.storeRefreshToken(ctx, refreshToken, user);
  return response;
});

/** Standard attributes Cognito copies into id tokens (the app client may read them all). */
const ID_TOKEN_ATTRIBUTES = ['name', 'given_name', 'family_name', 'phone_number', 'phone_number_verified'];

interface Triggers {
  enabled(trigger: string): boolean;
  preTokenGeneration(
    ctx: unknown,
    event: { userAttributes: Array<{ Name: string; Value?: string }> },
  ): Promise<{
    claimsOverrideDetails?: { claimsToAddOrOverride?: Record<string, string> };
  }>;
}
const { JwtTokenGenerator } = require('cognito-local/lib/services/tokenGenerator') as {
  JwtTokenGenerator: {
    prototype: { generate: (...args: unknown[]) => Promise<unknown>; triggers: Triggers };
  };
};
const generate = JwtTokenGenerator.prototype.generate;
// The generator adds claims only through its PreTokenGeneration hook: answer that hook with the
// attributes (and still call a real PreTokenGeneration trigger when one is configured).
JwtTokenGenerator.prototype.generate = function (this: { triggers: Triggers }, ...args: unknown[]) {
  const triggers = this.triggers;
  const withAttributes: Triggers = {
    enabled: (trigger) => trigger === 'PreTokenGeneration' || triggers.enabled(trigger),
    preTokenGeneration: async (ctx, event) => {
      const configured = triggers.enabled('PreTokenGeneration')
        ? await triggers.preTokenGeneration(ctx, event)
        : {};
      const attributes = Object.fromEntries(
        event.userAttributes
          .filter(
            (attribute) => ID_TOKEN_ATTRIBUTES.includes(attribute.Name) && attribute.Value !== undefined,
          )
          .map((attribute) => [attribute.Name, attribute.Value ?? '']),
      );
      const added = configured.claimsOverrideDetails?.claimsToAddOrOverride ?? {};
      return {
        ...configured,
        claimsOverrideDetails: {
          ...configured.claimsOverrideDetails,
          claimsToAddOrOverride: { ...attributes, ...added },
        },
      };
    },
  };
  return generate.apply({ ...this, triggers: withAttributes }, args);
};

require('cognito-local/lib/bin/start.js');
