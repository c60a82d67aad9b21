/**
 * Account recovery on Cognito: ForgotPassword, ConfirmForgotPassword, ResendConfirmationCode and
 * ChangePassword. Cognito's user-existence protection does not cover a confirmed user's resend
 * (nor SignUp), so the answers that would tell an email exists are made alike here.
 */
import {
  AdminGetUserCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderServiceException,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AccountRecovery } from '#domain/identity/recovery.ts';
import { clientId, cognito, translate, userPoolId } from './cognito-client.ts';

// What Cognito answers for an unknown, unconfirmed or already-confirmed email: all mean "sent".
const REVEALING = new Set(['UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException']);

const alike = (error: unknown): void => {
  if (error instanceof CognitoIdentityProviderServiceException && REVEALING.has(error.name)) return;
  translate(error, 'confirm');
};

export const cognitoRecovery: AccountRecovery = {
  forgotPassword: async (email) => {
    await cognito.send(new ForgotPasswordCommand({ ClientId: clientId(), Username: email })).catch(alike);
  },

  confirmForgotPassword: async (email, code, newPassword) => {
    await cognito
      .send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId(),
          Username: email,
          ConfirmationCode: code,
          Password: newPassword,
        }),
      )
      .catch((error: unknown) => translate(error, 'reset'));
  },

  resendCode: async (email) => {
    await cognito
      .send(new ResendConfirmationCodeCommand({ ClientId: clientId(), Username: email }))
      .catch(alike);
  },

  changePassword: async (accessToken, currentPassword, newPassword) => {
    await cognito
      .send(
        new ChangePasswordCommand({
          AccessToken: accessToken,
          PreviousPassword: currentPassword,
          ProposedPassword: newPassword,
        }),
      )
      .catch((error: unknown) => translate(error, 'change'));
  },

  userIdOf: async (email) => {
    const user = await cognito
      .send(new AdminGetUserCommand({ UserPoolId: userPoolId(), Username: email }))
      .catch(() => undefined);
    return user?.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  },
};
