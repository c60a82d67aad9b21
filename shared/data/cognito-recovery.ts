/**
 * Account recovery on Cognito: ForgotPassword, ConfirmForgotPassword, ResendConfirmationCode and
 * ChangePassword. Cognito's user-existence protection does not cover a confirmed user's resend
 * (nor SignUp), so the answers that would tell an email exists are made alike here.
 */
import type { AccountRecovery } from '#domain/identity/recovery.ts';
import { clientId, cognito, commands, isCognitoException, translate, userPoolId } from './cognito-client.ts';

// What Cognito answers for an unknown, unconfirmed or already-confirmed email: all mean "sent".
const REVEALING = new Set(['UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException']);

const alike = (error: unknown): void => {
  if (isCognitoException(error) && REVEALING.has(error.name)) return;
  translate(error, 'confirm');
};

export const cognitoRecovery: AccountRecovery = {
  forgotPassword: async (email) => {
    await (await cognito())
      .send(new (await commands()).ForgotPasswordCommand({ ClientId: clientId(), Username: email }))
      .catch(alike);
  },

  confirmForgotPassword: async (email, code, newPassword) => {
    await (await cognito())
      .send(
        new (await commands()).ConfirmForgotPasswordCommand({
          ClientId: clientId(),
          Username: email,
          ConfirmationCode: code,
          Password: newPassword,
        }),
      )
      .catch((error: unknown) => translate(error, 'reset'));
  },

  resendCode: async (email) => {
    await (await cognito())
      .send(new (await commands()).ResendConfirmationCodeCommand({ ClientId: clientId(), Username: email }))
      .catch(alike);
  },

  changePassword: async (accessToken, currentPassword, newPassword) => {
    await (await cognito())
      .send(
        new (await commands()).ChangePasswordCommand({
          AccessToken: accessToken,
          PreviousPassword: currentPassword,
          ProposedPassword: newPassword,
        }),
      )
      .catch((error: unknown) => translate(error, 'change'));
  },

  userIdOf: async (email) => {
    const user = await (await cognito())
      .send(new (await commands()).AdminGetUserCommand({ UserPoolId: userPoolId(), Username: email }))
      .catch(() => undefined);
    return user?.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  },
};
