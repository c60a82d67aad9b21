/**
 * What the auth and users services need from the identity provider (Cognito in AWS,
 * cognito-local in the twin) and from the login throttle store. Implemented in shared/data.
 */
import type { Role } from '../roles.ts';

export interface SessionTokens {
  idToken: string;
  accessToken: string;
  expiresIn: number;
}

export type LoginOutcome =
  | { kind: 'tokens'; tokens: SessionTokens & { refreshToken: string } }
  | { kind: 'challenge'; challenge: LoginChallenge; session: string };

/**
 * NEW_PASSWORD_REQUIRED: an invited user chooses a password. SOFTWARE_TOKEN_MFA: a TOTP code.
 * MFA_SETUP: the user's roles require MFA and they have not enrolled (the service's own session).
 */
export type LoginChallenge = 'NEW_PASSWORD_REQUIRED' | 'SOFTWARE_TOKEN_MFA' | 'MFA_SETUP';

export interface IdentityUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  enabled: boolean;
  createdAt: string;
}

export type UserRecord = Omit<IdentityUser, 'roles'>;

/** Who a session's tokens are for, as its id token says; the name only when the token has one. */
export interface TokenUser {
  id: string;
  email: string;
  name: string | undefined;
  roles: Role[];
}

export interface IdentityProvider {
  /** A self sign-up: an unconfirmed user (the confirmation trigger makes them staff). */
  signUp(input: { email: string; password: string; name: string }): Promise<{ userId: string }>;
  confirmSignUp(email: string, code: string): Promise<void>;
  /** Throws Unauthorized for a wrong password or an unknown email, alike. */
  passwordLogin(email: string, password: string): Promise<LoginOutcome>;
  completeNewPassword(email: string, session: string, newPassword: string): Promise<LoginOutcome>;
  refresh(refreshToken: string): Promise<SessionTokens>;
  revokeRefreshToken(refreshToken: string): Promise<void>;
  /** The user an id token the provider has just issued is for (read, not verified: it came from the provider). */
  userOfIdToken(idToken: string): TokenUser;
  getUser(userId: string): Promise<IdentityUser | undefined>;
  /** Creates the user with a temporary password sent by email, in the given groups. */
  inviteUser(input: { email: string; name: string; roles: readonly Role[] }): Promise<IdentityUser>;
  /** A provider page of users, without roles (those cost a call per user: see rolesOf). */
  listUsers(input: { role?: Role; limit: number; pageToken?: string }): Promise<{
    users: UserRecord[];
    nextPageToken?: string;
  }>;
  rolesOf(userId: string): Promise<Role[]>;
  /** Adds and removes groups so the user holds exactly `roles`. */
  setRoles(userId: string, roles: readonly Role[]): Promise<IdentityUser>;
  disableUser(userId: string): Promise<void>;
}

/** Failed-login counters per email (hashed: the key holds no email). */
export interface LoginThrottleStore {
  /** When the email is locked out, until when. */
  lockedUntil(emailKey: string, now: Date): Promise<Date | undefined>;
  /** Counts a failure; locks the email when the window's failures reach the limit. */
  recordFailure(emailKey: string, now: Date, limits: LoginThrottleLimits): Promise<void>;
  clear(emailKey: string): Promise<void>;
}

export interface LoginThrottleLimits {
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}
