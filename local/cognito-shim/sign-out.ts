/**
 * AdminUserGlobalSignOut, which cognito-local lacks: every refresh token of the user stops
 * working, as in Cognito. (Tokens already issued stay valid in Cognito too: the service's
 * session records refuse them.)
 */
import { add, CognitoError } from './targets.ts';

add('AdminUserGlobalSignOut', (services) => async (ctx, request) => {
  const pool = await services.cognito.getUserPool(ctx, request.UserPoolId ?? '');
  const user = await pool.getUserByUsername(ctx, request.Username ?? '');
  if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
  await pool.saveUser(ctx, { ...user, RefreshTokens: [] });
  return {};
});
