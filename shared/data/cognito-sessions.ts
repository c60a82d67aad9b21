/**
 * Sessions on Cognito: self sign-up and its confirmation, password login with the
 * NEW_PASSWORD_REQUIRED challenge, refresh and revocation, and reading the id tokens it issues.
 */
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { Forbidden } from '#domain/errors.ts';
import type { IdentityProvider, LoginOutcome, SessionTokens, TokenUser } from '#domain/identity/ports.ts';
import { isRole } from '#domain/roles.ts';
import { clientId, cognito, commands, translate } from './cognito-client.ts';

export type CognitoSessions = Pick<
  IdentityProvider,
  | 'signUp'
  | 'confirmSignUp'
  | 'passwordLogin'
  | 'completeNewPassword'
  | 'refresh'
  | 'revokeRefreshToken'
  | 'userOfIdToken'
>;

const sessionTokens = (result: AuthenticationResultType | undefined): SessionTokens => {
  if (!result?.IdToken || !result.AccessToken) throw new Error('Cognito returned no tokens');
  return { idToken: result.IdToken, accessToken: result.AccessToken, expiresIn: result.ExpiresIn ?? 3600 };
};

export const outcomeOf = (response: {
  AuthenticationResult?: AuthenticationResultType;
  ChallengeName?: string;
  Session?: string;
}): LoginOutcome => {
  const challenge = response.ChallengeName;
  if ((challenge === 'NEW_PASSWORD_REQUIRED' || challenge === 'SOFTWARE_TOKEN_MFA') && response.Session) {
    return { kind: 'challenge', challenge, session: response.Session };
  }
  if (response.ChallengeName) throw new Forbidden(`Unsupported login challenge ${response.ChallengeName}`);
  const refreshToken = response.AuthenticationResult?.RefreshToken;
  if (!refreshToken) throw new Error('Cognito returned no refresh token');
  return { kind: 'tokens', tokens: { ...sessionTokens(response.AuthenticationResult), refreshToken } };
};

/** Claims of a token Cognito has just issued (no need to verify what we received from it). */
export const userFromIdToken = (idToken: string): TokenUser => {
  const claims = decodeJwt(idToken);
  const groups = claims['cognito:groups'];
  return {
    id: String(claims.sub ?? ''),
    email: String(claims.email ?? ''),
    name: typeof claims.name === 'string' ? claims.name : undefined,
    roles: (Array.isArray(groups) ? groups : []).map(String).filter(isRole),
  };
};

export const cognitoSessions: CognitoSessions = {
  signUp: async ({ email, password, name }) => {
    const response = await (await cognito())
      .send(
        new (await commands()).SignUpCommand({
          ClientId: clientId(),
          Username: email,
          Password: password,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'name', Value: name },
          ],
        }),
      )
      .catch((error: unknown) => translate(error, 'signup'));
    if (!response.UserSub) throw new Error('Cognito returned no user id');
    return { userId: response.UserSub };
  },

  confirmSignUp: async (email, code) => {
    await (await cognito())
      .send(
        new (await commands()).ConfirmSignUpCommand({
          ClientId: clientId(),
          Username: email,
          ConfirmationCode: code,
        }),
      )
      .catch((error: unknown) => translate(error, 'confirm'));
  },

  passwordLogin: async (email, password) => {
    const response = await (await cognito())
      .send(
        new (await commands()).InitiateAuthCommand({
          ClientId: clientId(),
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      )
      .catch((error: unknown) => translate(error, 'login'));
    return outcomeOf(response);
  },

  completeNewPassword: async (email, session, newPassword) => {
    const response = await (await cognito())
      .send(
        new (await commands()).RespondToAuthChallengeCommand({
          ClientId: clientId(),
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD: newPassword },
        }),
      )
      .catch((error: unknown) => translate(error, 'challenge'));
    return outcomeOf(response);
  },

  refresh: async (refreshToken) => {
    const response = await (await cognito())
      .send(
        new (await commands()).InitiateAuthCommand({
          ClientId: clientId(),
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      )
      .catch((error: unknown) => translate(error, 'token'));
    return sessionTokens(response.AuthenticationResult);
  },

  revokeRefreshToken: async (refreshToken) => {
    await (await cognito())
      .send(new (await commands()).RevokeTokenCommand({ ClientId: clientId(), Token: refreshToken }))
      .catch((error: unknown) => translate(error, 'token'));
  },

  userOfIdToken: userFromIdToken,
};
