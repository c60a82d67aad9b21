/**
 * TOTP MFA on Cognito: AssociateSoftwareToken and VerifySoftwareToken with the user's access
 * token, SetUserMFAPreference to turn it on, the SOFTWARE_TOKEN_MFA challenge of a login, and
 * AdminSetUserMFAPreference to turn it off when a device is lost.
 */
import { BadRequest } from '#domain/errors.ts';
import type { MfaProvider } from '#domain/identity/mfa.ts';
import { adminCall, clientId, cognito, commands, translate, userPoolId } from './cognito-client.ts';
import { outcomeOf } from './cognito-sessions.ts';

export const cognitoMfa: MfaProvider = {
  associate: async (accessToken) => {
    const response = await (await cognito())
      .send(new (await commands()).AssociateSoftwareTokenCommand({ AccessToken: accessToken }))
      .catch((error: unknown) => translate(error, 'enrol'));
    if (!response.SecretCode) throw new Error('Cognito returned no secret');
    return response.SecretCode;
  },

  verify: async (accessToken, code) => {
    const verified = await (await cognito())
      .send(new (await commands()).VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code }))
      .catch((error: unknown) => translate(error, 'enrol'));
    if (verified.Status !== 'SUCCESS')
      throw new BadRequest('The code is wrong or expired', [
        { path: 'body.code', message: 'invalid or expired' },
      ]);
    await (await cognito())
      .send(
        new (await commands()).SetUserMFAPreferenceCommand({
          AccessToken: accessToken,
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      )
      .catch((error: unknown) => translate(error, 'enrol'));
  },

  answerChallenge: async (email, session, code) => {
    const response = await (await cognito())
      .send(
        new (await commands()).RespondToAuthChallengeCommand({
          ClientId: clientId(),
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: session,
          ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code },
        }),
      )
      .catch((error: unknown) => translate(error, 'mfa'));
    return outcomeOf(response);
  },

  reset: async (userId) => {
    await adminCall(
      (await cognito()).send(
        new (await commands()).AdminSetUserMFAPreferenceCommand({
          UserPoolId: userPoolId(),
          Username: userId,
          SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
        }),
      ),
    );
  },
};
