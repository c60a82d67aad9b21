/**
 * The MFA service wired to Cognito and Main, once: the auth function (enrolment, the login
 * challenge) and the users function (an admin's reset) share it.
 */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { cognitoMfa } from '#data/cognito-mfa.ts';
import { userMfaStore } from '#data/user-mfa.ts';
import { createMfaService } from '#domain/identity/mfa.ts';
import { sessionRevoker } from '#runtime/session-revoker.ts';

export const mfaService = /* @__PURE__ */ createMfaService({
  provider: cognitoMfa,
  store: userMfaStore,
  sessions: sessionRevoker,
  accessEvents: accessEventRepository,
  userOfIdToken: cognitoIdentity.userOfIdToken,
  emailOf: async (userId) => (await cognitoIdentity.getUser(userId))?.email,
});
