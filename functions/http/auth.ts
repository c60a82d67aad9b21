/** The `auth` function: sign-up, login, tokens, logout and /me. */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { loginThrottleStore } from '#data/login-throttle.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createAuthService, type LoginResult } from '#domain/identity/auth-service.ts';
import { httpFunction } from '#runtime/http.ts';
import { sessionRevoker } from '#runtime/session-revoker.ts';

// Logins are recorded by the PostAuthentication trigger, however the user logged in.
const auth = createAuthService({
  identity: cognitoIdentity,
  throttle: loginThrottleStore,
  accessEvents: accessEventRepository,
  profiles: staffProfileRepository,
  sessions: sessionRevoker,
});

const loginBody = (result: LoginResult) =>
  result.kind === 'challenge'
    ? { challenge: result.challenge, session: result.session }
    : { ...result.tokens, user: result.user };

export const handler = httpFunction('auth', {
  signUp: async ({ body, requestId }) => {
    const { userId } = await auth.signUp(body, requestId);
    return { status: 201, body: { userId, confirmed: false } };
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
});
