/**
 * Passwords as Cognito checks them: the pool's policy on every new password, the password
 * checked in every state (cognito-local answers NEW_PASSWORD_REQUIRED to any password of an
 * invited user), disabled users refused, and a challenge answered only with the session issued
 * to that user (cognito-local accepts any session for any username).
 */
import {
  CognitoError,
  InvalidPasswordError,
  type LocalUser,
  type LocalUserPool,
  NotAuthorizedError,
  type PasswordPolicy,
  require,
  wrap,
} from './targets.ts';

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

export const enforcePolicy = (password: string | undefined, pool: LocalUserPool) => {
  const violation = policyViolation(password ?? '', pool.options.Policies?.PasswordPolicy);
  if (violation)
    throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${violation}`);
};

export const refuseDisabled = (user: LocalUser | null) => {
  if (user?.Enabled === false) throw new NotAuthorizedError('User is disabled.');
};

// Cognito's challenge sessions last 3 minutes and name their user.
const SESSION_LIFETIME_MS = 3 * 60_000;
const challengeSessions = new Map<string, { username: string; expiresAt: number }>();

/** Remembers whose challenge `session` is. */
export const bindSession = (session: unknown, user: LocalUser) => {
  if (typeof session !== 'string') return;
  const now = Date.now();
  for (const [key, entry] of challengeSessions) if (entry.expiresAt <= now) challengeSessions.delete(key);
  challengeSessions.set(session, { username: user.Username, expiresAt: now + SESSION_LIFETIME_MS });
};

/** Refuses a session that was not issued to `user`, or has expired. */
export const checkSession = (session: string | undefined, user: LocalUser | null) => {
  const entry = session === undefined ? undefined : challengeSessions.get(session);
  if (entry === undefined || entry.expiresAt <= Date.now() || entry.username !== user?.Username)
    throw new NotAuthorizedError('Invalid session for the user.');
};

wrap('SignUp', (services, inner) => async (ctx, request) => {
  enforcePolicy(request.Password, await services.cognito.getUserPoolForClientId(ctx, request.ClientId ?? ''));
  return inner(ctx, request);
});

wrap('ConfirmForgotPassword', (services, inner) => async (ctx, request) => {
  enforcePolicy(request.Password, await services.cognito.getUserPoolForClientId(ctx, request.ClientId ?? ''));
  return inner(ctx, request);
});

const jwt = require('jsonwebtoken') as {
  verify(token: string, key: string, options: { algorithms: ['RS256'] }): Record<string, unknown>;
};
const { pem: PUBLIC_KEY } = require('cognito-local/lib/keys/cognitoLocal.public.json') as { pem: string };

/** The claims of an access token the pool issued; cognito-local itself only decodes it. */
export const verifiedAccessToken = (token: unknown): Record<string, unknown> => {
  try {
    const claims = jwt.verify(String(token), PUBLIC_KEY, { algorithms: ['RS256'] });
    if (claims.token_use === 'access') return claims;
  } catch {
    // Refused below, as Cognito refuses it.
  }
  throw new NotAuthorizedError('Invalid Access Token');
};

// Cognito verifies the token, refuses a wrong current password as a wrong login, and applies the
// policy; cognito-local does none of that.
wrap('ChangePassword', (services, inner) => async (ctx, request) => {
  const claims = verifiedAccessToken(request.AccessToken);
  const pool = await services.cognito.getUserPoolForClientId(ctx, String(claims.client_id ?? ''));
  const user = await pool.getUserByUsername(ctx, String(claims.username ?? ''));
  refuseDisabled(user);
  if (!user || user.Password !== request.PreviousPassword)
    throw new NotAuthorizedError('Incorrect username or password.');
  enforcePolicy(typeof request.ProposedPassword === 'string' ? request.ProposedPassword : '', pool);
  return inner(ctx, request);
});

wrap('AdminSetUserPassword', (services, inner) => async (ctx, request) => {
  enforcePolicy(request.Password, await services.cognito.getUserPool(ctx, request.UserPoolId ?? ''));
  return inner(ctx, request);
});

wrap('InitiateAuth', (services, inner) => async (ctx, request) => {
  const pool = await services.cognito.getUserPoolForClientId(ctx, request.ClientId ?? '');
  const parameters = request.AuthParameters ?? {};
  if (request.AuthFlow?.startsWith('REFRESH_TOKEN') && parameters.REFRESH_TOKEN) {
    refuseDisabled(await pool.getUserByRefreshToken(ctx, parameters.REFRESH_TOKEN));
  }
  if (request.AuthFlow !== 'USER_PASSWORD_AUTH' || !parameters.USERNAME) return inner(ctx, request);
  const user = await pool.getUserByUsername(ctx, parameters.USERNAME);
  refuseDisabled(user);
  // A temporary password is a password: the challenge only for the one that was sent.
  if (user?.UserStatus === 'FORCE_CHANGE_PASSWORD' && user.Password !== parameters.PASSWORD)
    throw new InvalidPasswordError();
  const response = await inner(ctx, request);
  if (user && typeof response.ChallengeName === 'string') bindSession(response.Session, user);
  return response;
});

wrap('RespondToAuthChallenge', (services, inner) => async (ctx, request) => {
  const pool = await services.cognito.getUserPoolForClientId(ctx, request.ClientId ?? '');
  const username = request.ChallengeResponses?.USERNAME ?? '';
  const user = await pool.getUserByUsername(ctx, username);
  refuseDisabled(user);
  checkSession(request.Session, user);
  if (request.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    enforcePolicy(request.ChallengeResponses?.NEW_PASSWORD, pool);
  }
  const response = await inner(ctx, request);
  // A session answers once: a refused answer (a weak password, a wrong code) may be retried.
  challengeSessions.delete(request.Session as string);
  if (user && typeof response.ChallengeName === 'string') bindSession(response.Session, user);
  const refreshToken = (response.AuthenticationResult as { RefreshToken?: string } | undefined)?.RefreshToken;
  // cognito-local forgets the refresh token it issues here. The user as the answer left them (a new
  // password, confirmed): the one read before would put the temporary password back.
  const answered = refreshToken ? await pool.getUserByUsername(ctx, username) : null;
  if (refreshToken && answered) await pool.storeRefreshToken(ctx, refreshToken, answered);
  return response;
});
