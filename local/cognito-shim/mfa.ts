/**
 * TOTP MFA as Cognito does it, where cognito-local differs: AssociateSoftwareToken,
 * VerifySoftwareToken and SetUserMFAPreference verify the access token's signature and refuse a
 * disabled user (cognito-local only decodes the token), and AdminSetUserMFAPreference, which
 * cognito-local lacks, turns a user's TOTP off (an admin's reset of a lost device). Codes are
 * checked by cognito-local's own TOTP library.
 */
import { refuseDisabled, verifiedAccessToken } from './passwords.ts';
import { add, CognitoError, type Request, type Services, wrap } from './targets.ts';

const userOfAccessToken = async (services: Services, ctx: unknown, request: Request) => {
  const claims = verifiedAccessToken(request.AccessToken);
  const pool = await services.cognito.getUserPoolForClientId(ctx, String(claims.client_id ?? ''));
  refuseDisabled(await pool.getUserByUsername(ctx, String(claims.sub ?? '')));
};

for (const target of ['AssociateSoftwareToken', 'VerifySoftwareToken', 'SetUserMFAPreference']) {
  wrap(target, (services, inner) => async (ctx, request) => {
    // The MFA_SETUP challenge session of a pool that requires MFA is not used: the service
    // holds its own MFA_SETUP sessions with the user's tokens.
    if (request.AccessToken === undefined)
      throw new CognitoError('InvalidParameterException', 'AccessToken is required');
    await userOfAccessToken(services, ctx, request);
    return inner(ctx, request);
  });
}

interface MfaSettings {
  Enabled?: boolean;
  PreferredMfa?: boolean;
}

add('AdminSetUserMFAPreference', (services) => async (ctx, request) => {
  const pool = await services.cognito.getUserPool(ctx, request.UserPoolId ?? '');
  const user = (await pool.getUserByUsername(ctx, request.Username ?? '')) as
    | (Awaited<ReturnType<typeof pool.getUserByUsername>> & { UserMFASettingList?: string[] })
    | null;
  if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
  const software = request.SoftwareTokenMfaSettings as MfaSettings | undefined;
  const methods = new Set(user.UserMFASettingList ?? []);
  if (software?.Enabled === true) methods.add('SOFTWARE_TOKEN_MFA');
  if (software?.Enabled === false) methods.delete('SOFTWARE_TOKEN_MFA');
  const preferred =
    software?.PreferredMfa && methods.has('SOFTWARE_TOKEN_MFA') ? 'SOFTWARE_TOKEN_MFA' : undefined;
  await pool.saveUser(ctx, {
    ...user,
    UserMFASettingList: [...methods],
    PreferredMfaSetting: preferred,
  } as typeof user);
  return {};
});
