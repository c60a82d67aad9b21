/** The `auth` function: sign-up, login, tokens, logout and /me. */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity, userFromIdToken } from '#data/cognito-identity.ts';
import { loginThrottleStore } from '#data/login-throttle.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createAuthService } from '#domain/identity/auth-service.ts';
import type { LoginOutcome } from '#domain/identity/ports.ts';
import { httpFunction } from '#runtime/http.ts';
import { serviceContextOf } from '#runtime/service-context.ts';

// Logins are recorded by the PostAuthentication trigger, however the user logged in.
const auth = createAuthService({
  identity: cognitoIdentity,
  throttle: loginThrottleStore,
  accessEvents: accessEventRepository,
});

/** Tokens plus the user they are for (name from the user record when the token lacks it). */
const loginBody = async (outcome: LoginOutcome) => {
  if (outcome.kind === 'challenge') return { challenge: outcome.challenge, session: outcome.session };
  const claims = userFromIdToken(outcome.tokens.idToken);
  const name = claims.name ?? (await cognitoIdentity.getUser(claims.id))?.name ?? '';
  return { ...outcome.tokens, user: { id: claims.id, email: claims.email, name, roles: claims.roles } };
};

export const handler = httpFunction('auth', {
  signUp: async ({ body, requestId }) => {
    const { userId } = await auth.signUp(body, requestId);
    return { status: 201, body: { userId, confirmed: false } };
  },

  confirmSignUp: async ({ body }) => {
    await auth.confirm(body.email, body.code);
    return { status: 204 };
  },

  login: async ({ body }) => ({
    status: 200,
    body: await loginBody(await auth.login(body.email, body.password)),
  }),

  completeNewPassword: async ({ body }) => ({
    status: 200,
    body: await loginBody(await auth.completeNewPassword(body.email, body.session, body.newPassword)),
  }),

  refresh: async ({ body }) => ({ status: 200, body: await auth.refresh(body.refreshToken) }),

  logout: async ({ body, auth: caller, requestId }) => {
    await auth.logout(serviceContextOf({ auth: caller, requestId }), body.refreshToken);
    return { status: 204 };
  },

  getMe: async ({ auth: caller }) => {
    // Access tokens carry no email or name: those come from the user record.
    const record = caller.email && caller.name ? undefined : await cognitoIdentity.getUser(caller.userId);
    return {
      status: 200,
      body: {
        id: caller.userId,
        email: caller.email ?? record?.email ?? '',
        name: caller.name ?? record?.name ?? '',
        roles: caller.roles,
        staffProfileId: (await staffProfileRepository.profileIdOfUser(caller.userId)) ?? null,
      },
    };
  },
});
