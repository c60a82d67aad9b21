/**
 * cognito-local's internals as the shim sees them: its target table (one function per Cognito
 * action), its errors, and `wrap`, which puts a shim around one target.
 */
import { createRequire } from 'node:module';

export const require = createRequire(import.meta.url);

export interface PasswordPolicy {
  MinimumLength?: number;
  RequireLowercase?: boolean;
  RequireUppercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
}
export interface LocalUser {
  Username: string;
  Enabled?: boolean;
  UserStatus?: string;
  Password?: string;
  Attributes?: Array<{ Name: string; Value?: string }>;
  RefreshTokens?: string[];
}
export interface LocalUserPool {
  options: { Id?: string; Policies?: { PasswordPolicy?: PasswordPolicy } };
  getUserByUsername(ctx: unknown, username: string): Promise<LocalUser | null>;
  getUserByRefreshToken(ctx: unknown, token: string): Promise<LocalUser | null>;
  storeRefreshToken(ctx: unknown, token: string, user: LocalUser): Promise<void>;
  saveUser(ctx: unknown, user: LocalUser): Promise<void>;
}
export interface Services {
  cognito: {
    getUserPoolForClientId(ctx: unknown, clientId: string): Promise<LocalUserPool>;
    getUserPool(ctx: unknown, userPoolId: string): Promise<LocalUserPool>;
  };
}
export type Request = Record<string, unknown> & {
  ClientId?: string;
  UserPoolId?: string;
  AuthFlow?: string;
  AuthParameters?: Record<string, string>;
  ChallengeName?: string;
  ChallengeResponses?: Record<string, string>;
  Session?: string;
  Password?: string;
  Username?: string;
};
export type Response = Record<string, unknown>;
type Target = (services: Services) => (ctx: unknown, request: Request) => Promise<Response>;

const { Targets } = require('cognito-local/lib/targets/targets') as { Targets: Record<string, Target> };
export const { CognitoError, NotAuthorizedError, InvalidPasswordError } =
  require('cognito-local/lib/errors') as {
    CognitoError: new (code: string, message: string) => Error;
    NotAuthorizedError: new (message?: string) => Error;
    InvalidPasswordError: new () => Error;
  };

export const wrap = (
  name: string,
  around: (services: Services, inner: ReturnType<Target>) => ReturnType<Target>,
) => {
  const original = Targets[name];
  if (!original) throw new Error(`cognito-local has no ${name} target`);
  Targets[name] = (services) => around(services, original(services));
};

/** Adds a target cognito-local lacks (its router serves every name in the table). */
export const add = (name: string, target: Target) => {
  if (Targets[name]) throw new Error(`cognito-local already has ${name}: shim it with wrap instead`);
  Targets[name] = target;
};
