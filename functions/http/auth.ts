/** The `auth` function: sign-up, login, tokens, logout and /me. */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { cognitoRecovery } from '#data/cognito-recovery.ts';
import { loginThrottleStore } from '#data/login-throttle.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createAuthService, type LoginResult } from '#domain/identity/auth-service.ts';
import { createRecoveryService } from '#domain/identity/recovery.ts';
import { accessTokenCallerOf, bearerTokenOf } from '#runtime/auth-context.ts';
import { httpFunction, type Operations } from '#runtime/http.ts';
import { sessionGuard } from '#runtime/session-guard.ts';
import { sessionRevoker } from '#runtime/session-revoker.ts';
import { AUTH_ROUTES } from '#shared/routes/auth.ts';

// Logins are recorded by the PostAuthentication trigger, however the user logged in.
const auth = createAuthService({
  identity: cognitoIdentity,
  throttle: loginThrottleStore,
  accessEvents: accessEventRepository,
  profiles: staffProfileRepository,
  sessions: sessionRevoker,
});

const recovery = createRecoveryService({
  recovery: cognitoRecovery,
  sessions: sessionRevoker,
  checkSession: sessionGuard.check,
  accessEvents: accessEventRepository,
});

const loginBody = (result: LoginResult) =>
  result.kind === 'challenge'
    ? { challenge: result.challenge, session: result.session }
    : { ...result.tokens, user: result.user };

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'auth'> = {
  signUp: async ({ body, requestId }) => {
    await auth.signUp(body, requestId);
    return { status: 202, body: { confirmed: false } };
  },

  forgotPassword: async ({ body }) => {
    await recovery.forgot(body.email);
    return { status: 202 };
  },

  resetPassword: async ({ body, requestId }) => {
    await recovery.reset(body.email, body.code, body.newPassword, requestId);
    return { status: 204 };
  },

  resendCode: async ({ body }) => {
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

  login: async ({ body }) => ({ status: 200, body: loginBody(await auth.login(body.email, body.password)) }),

  completeNewPassword: async ({ body }) => ({
    status: 200,
    body: loginBody(await auth.completeNewPassword(body.email, body.session, body.newPassword)),
  }),

  refresh: async ({ body }) => ({ status: 200, body: await auth.refresh(body.refreshToken) }),

  logout: async ({ body, context, auth: caller }) => {
    await auth.logout(context, body.refreshToken, caller.session);
    return { status: 204 };
  },

  getMe: async ({ auth: caller }) => ({ status: 200, body: await auth.me(caller) }),
};

export const handler = httpFunction(AUTH_ROUTES, operations);
