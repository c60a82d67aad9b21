/** The `auth` function: sign-up, login, tokens, logout and /me. */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { cognitoRecovery } from '#data/cognito-recovery.ts';
import { loginThrottleStore } from '#data/login-throttle.ts';
import { rateCounters } from '#data/rate-counters.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { Unauthorized } from '#domain/errors.ts';
import { createMailLimiter } from '#domain/identity/abuse-limits.ts';
import { createAuthService, type LoginResult } from '#domain/identity/auth-service.ts';
import { createRecoveryService } from '#domain/identity/recovery.ts';
import { loginLimits, mailLimits } from '#runtime/abuse-settings.ts';
import { accessTokenCallerOf, bearerTokenOf } from '#runtime/auth-context.ts';
import { httpFunction, type Operations } from '#runtime/http.ts';
import { sessionGuard } from '#runtime/session-guard.ts';
import { sessionRevoker } from '#runtime/session-revoker.ts';
import { AUTH_ROUTES } from '#shared/routes/auth.ts';
import { mfaService as mfa } from '#shared/services/mfa.ts';

// Logins are recorded by the PostAuthentication trigger, however the user logged in.
const auth = createAuthService({
  identity: cognitoIdentity,
  throttle: loginThrottleStore,
  accessEvents: accessEventRepository,
  profiles: staffProfileRepository,
  sessions: sessionRevoker,
  mfa,
  loginLimits: loginLimits(),
});

// Sign-up, forgot and resend-code send mail to whoever is named: limited per email and source.
const mail = createMailLimiter(rateCounters, mailLimits());

/** The caller's IP as the gateway saw it: what the limits count per source. */
const sourceOf = (event: { requestContext: { http?: { sourceIp?: string } } }) =>
  event.requestContext.http?.sourceIp ?? 'unknown';

const recovery = createRecoveryService({
  recovery: cognitoRecovery,
  sessions: sessionRevoker,
  checkSession: sessionGuard.check,
  accessEvents: accessEventRepository,
});

/**
 * The caller of a route Cognito serves with an access token (verified by that call), whose
 * session has not ended. MFA is not asked of it: these routes are how a user enrols.
 */
const accessTokenCaller = async (authorization: string | undefined) => {
  const token = bearerTokenOf(authorization);
  const caller = token === undefined ? undefined : accessTokenCallerOf(token);
  if (token === undefined || caller === undefined)
    throw new Unauthorized('A valid bearer access token is required');
  await sessionGuard.check(caller.userId, caller.session);
  return { token, userId: caller.userId };
};

const loginBody = (result: LoginResult) =>
  result.kind === 'challenge'
    ? { challenge: result.challenge, session: result.session }
    : { ...result.tokens, user: result.user };

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'auth'> = {
  signUp: async ({ body, event, requestId }) => {
    await mail.admit(body.email, sourceOf(event));
    await auth.signUp(body, requestId);
    return { status: 202, body: { confirmed: false } };
  },

  forgotPassword: async ({ body, event }) => {
    await mail.admit(body.email, sourceOf(event));
    await recovery.forgot(body.email);
    return { status: 202 };
  },

  resetPassword: async ({ body, requestId }) => {
    await recovery.reset(body.email, body.code, body.newPassword, requestId);
    return { status: 204 };
  },

  resendCode: async ({ body, event }) => {
    await mail.admit(body.email, sourceOf(event));
    await recovery.resendCode(body.email);
    return { status: 202 };
  },

  changePassword: async ({ body, event, requestId }) => {
    const token = bearerTokenOf(event.headers.authorization);
    const caller = token === undefined ? undefined : accessTokenCallerOf(token);
    await recovery.change(caller, token ?? '', body, requestId);
    return { status: 204 };
  },

  confirmSignUp: async ({ body }) => {
    await auth.confirm(body.email, body.code);
    return { status: 204 };
  },

  login: async ({ body, event }) => ({
    status: 200,
    body: loginBody(await auth.login(body.email, body.password, sourceOf(event))),
  }),

  completeNewPassword: async ({ body, event }) => ({
    status: 200,
    body: loginBody(
      await auth.completeNewPassword(body.email, body.session, body.newPassword, sourceOf(event)),
    ),
  }),

  setUpMfa: async ({ body, event }) => {
    if (body.session !== undefined) return { status: 200, body: await mfa.setupWithSession(body.session) };
    const caller = await accessTokenCaller(event.headers.authorization);
    return { status: 200, body: await mfa.setupWithToken(caller.userId, caller.token) };
  },

  verifyMfa: async ({ body, event, requestId }) => {
    if (body.session !== undefined) {
      if (body.email === undefined) throw new Unauthorized('`email` goes with `session`');
      const result = await auth.completeMfaSetup(body.email, body.session, body.code, requestId);
      return { status: 200, body: loginBody(result) };
    }
    const caller = await accessTokenCaller(event.headers.authorization);
    await mfa.verifyWithToken(caller.userId, caller.token, body.code, requestId);
    return { status: 204 };
  },

  answerMfaChallenge: async ({ body, event }) => ({
    status: 200,
    body: loginBody(await auth.answerMfaChallenge(body.email, body.session, body.code, sourceOf(event))),
  }),

  refresh: async ({ body }) => ({ status: 200, body: await auth.refresh(body.refreshToken) }),

  logout: async ({ body, context, auth: caller }) => {
    await auth.logout(context, body.refreshToken, caller.session);
    return { status: 204 };
  },

  getMe: async ({ auth: caller }) => ({ status: 200, body: await auth.me(caller) }),
};

export const handler = httpFunction(AUTH_ROUTES, operations);
