/**
 * WebSocket `$connect` REQUEST authorizer. Browsers cannot set headers on the upgrade, so the
 * id token comes in `?token=`. A bad token throws `Unauthorized` (API Gateway answers 401; a
 * Deny policy would give 403), and so does a token whose session has ended (revocation). The
 * context holds scalars only: API Gateway refuses arrays there.
 */
import type { APIGatewayAuthorizerWithContextResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { SessionRevoked } from '#domain/errors.ts';
import {
  parseGroups,
  tokenSessionOf,
  type WsAuthorizerContext,
  wsAuthorizerContext,
} from '#runtime/auth-context.ts';
import { requireEnv } from '#runtime/config.ts';
import { logger } from '#runtime/logger.ts';
import { sessionGuard } from '#runtime/session-guard.ts';
import { createTokenVerifier, InvalidToken } from '#runtime/token-verifier.ts';

const verifier = createTokenVerifier({
  issuer: requireEnv('jwtIssuer'),
  clientId: requireEnv('userPoolClientId'),
});

export const handler = async (
  event: APIGatewayRequestAuthorizerEvent,
): Promise<APIGatewayAuthorizerWithContextResult<WsAuthorizerContext>> => {
  const token = event.queryStringParameters?.token;
  if (!token) {
    logger.info('connect refused', { reason: 'no token' });
    throw new Error('Unauthorized');
  }
  let claims: Awaited<ReturnType<typeof verifier.verify>>;
  try {
    claims = await verifier.verify(token, ['id']);
  } catch (error) {
    if (!(error instanceof InvalidToken)) throw error;
    logger.info('connect refused', { reason: error.message });
    throw new Error('Unauthorized');
  }
  const session =
    claims.iat === undefined && claims.origin_jti === undefined ? undefined : tokenSessionOf(claims);
  try {
    await sessionGuard.check(claims.sub, {
      ...(session ?? { issuedAt: 0 }),
      roles: parseGroups(claims['cognito:groups']),
    });
  } catch (error) {
    if (!(error instanceof SessionRevoked)) throw error;
    logger.info('connect refused', { reason: 'session revoked' });
    throw new Error('Unauthorized');
  }
  return {
    principalId: claims.sub,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    context: wsAuthorizerContext(claims.sub, parseGroups(claims['cognito:groups']), claims.exp, session),
  };
};
