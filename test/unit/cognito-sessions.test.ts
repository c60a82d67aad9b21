import {
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { cognitoSessions as identity, userFromIdToken } from '#data/cognito-sessions.ts';
import { Forbidden } from '#domain/errors.ts';
import { CLIENT, cognito, inputsOf, SUB, useCognitoPool } from './support/cognito.ts';

useCognitoPool();

describe('cognito identity: login', () => {
  it('logs in with USER_PASSWORD_AUTH and returns the tokens', async () => {
    // Prepare
    cognito.on(InitiateAuthCommand).resolves({
      AuthenticationResult: { IdToken: 'id', AccessToken: 'access', RefreshToken: 'refresh', ExpiresIn: 900 },
    });
    // Act
    const outcome = await identity.passwordLogin('nora@example.com', 'Correct-horse-42!');
    // Assess
    expect(outcome).toEqual({
      kind: 'tokens',
      tokens: { idToken: 'id', accessToken: 'access', refreshToken: 'refresh', expiresIn: 900 },
    });
    expect(inputsOf(InitiateAuthCommand)).toEqual([
      {
        ClientId: CLIENT,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'nora@example.com', PASSWORD: 'Correct-horse-42!' },
      },
    ]);
  });

  it('returns the NEW_PASSWORD_REQUIRED challenge with its session', async () => {
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's-1' });

    const outcome = await identity.passwordLogin('ivy@example.com', 'temporary');

    expect(outcome).toEqual({ kind: 'challenge', challenge: 'NEW_PASSWORD_REQUIRED', session: 's-1' });
  });

  it('refuses a challenge Shiftline does not support', async () => {
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'SMS_MFA', Session: 's-1' });

    await expect(identity.passwordLogin('ivy@example.com', 'x')).rejects.toBeInstanceOf(Forbidden);
  });

  it('answers NEW_PASSWORD_REQUIRED with the session, email and new password', async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves({
      AuthenticationResult: { IdToken: 'id', AccessToken: 'access', RefreshToken: 'refresh' },
    });

    const outcome = await identity.completeNewPassword('ivy@example.com', 's-1', 'New-password-42!');

    expect(outcome).toEqual({
      kind: 'tokens',
      tokens: { idToken: 'id', accessToken: 'access', refreshToken: 'refresh', expiresIn: 3600 },
    });
    expect(inputsOf(RespondToAuthChallengeCommand)).toEqual([
      {
        ClientId: CLIENT,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: 's-1',
        ChallengeResponses: { USERNAME: 'ivy@example.com', NEW_PASSWORD: 'New-password-42!' },
      },
    ]);
  });

  it('refreshes with REFRESH_TOKEN_AUTH and revokes with RevokeToken', async () => {
    cognito
      .on(InitiateAuthCommand)
      .resolves({ AuthenticationResult: { IdToken: 'id2', AccessToken: 'access2' } });
    cognito.on(RevokeTokenCommand).resolves({});

    const refreshed = await identity.refresh('refresh-1');
    await identity.revokeRefreshToken('refresh-1');

    expect(refreshed).toEqual({ idToken: 'id2', accessToken: 'access2', expiresIn: 3600 });
    expect(inputsOf(InitiateAuthCommand)).toEqual([
      { ClientId: CLIENT, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'refresh-1' } },
    ]);
    expect(inputsOf(RevokeTokenCommand)).toEqual([{ ClientId: CLIENT, Token: 'refresh-1' }]);
  });
});
describe('cognito identity: sign-up', () => {
  it('signs up with the email as username and the name attribute', async () => {
    cognito.on(SignUpCommand).resolves({ UserSub: SUB, UserConfirmed: false });

    const result = await identity.signUp({
      email: 'sam@example.com',
      password: 'Pass-word-42!',
      name: 'Sam',
    });

    expect(result).toEqual({ userId: SUB });
    expect(inputsOf(SignUpCommand)).toEqual([
      {
        ClientId: CLIENT,
        Username: 'sam@example.com',
        Password: 'Pass-word-42!',
        UserAttributes: [
          { Name: 'email', Value: 'sam@example.com' },
          { Name: 'name', Value: 'Sam' },
        ],
      },
    ]);
  });

  it('confirms with the code', async () => {
    cognito.on(ConfirmSignUpCommand).resolves({});

    await identity.confirmSignUp('sam@example.com', '123456');

    expect(inputsOf(ConfirmSignUpCommand)).toEqual([
      { ClientId: CLIENT, Username: 'sam@example.com', ConfirmationCode: '123456' },
    ]);
  });
});
describe('cognito identity: id token claims', () => {
  it('reads the user from an id token, keeping only known roles', () => {
    const idToken = new UnsecuredJWT({
      email: 'nora@example.com',
      name: 'Nora',
      'cognito:groups': ['staff', 'us-east-1_pool_Google'],
    })
      .setSubject(SUB)
      .encode();

    expect(userFromIdToken(idToken)).toEqual({
      id: SUB,
      email: 'nora@example.com',
      name: 'Nora',
      roles: ['staff'],
    });
  });

  it('leaves the name undefined when the token has none', () => {
    const idToken = new UnsecuredJWT({ email: 'nora@example.com' }).setSubject(SUB).encode();

    expect(userFromIdToken(idToken)).toEqual({
      id: SUB,
      email: 'nora@example.com',
      name: undefined,
      roles: [],
    });
  });
});
