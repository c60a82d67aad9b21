/**
 * WebSocket `$connect`: registers the connection under the caller's sub, with the roles the
 * authorizer verified. It expires with the token, and at most after API Gateway's 2 h limit.
 */
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { putConnection } from '#data/connections.ts';
import { type Claims, wsAuthContextOf } from '#runtime/auth-context.ts';
import { logger } from '#runtime/logger.ts';

import { WS_MAX_CONNECTION_SECONDS as MAX_CONNECTION_SECONDS } from '#shared/limits.ts';

type ConnectEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: APIGatewayProxyWebsocketEventV2['requestContext'] & { authorizer?: Claims | null };
};

export const handler = async (event: ConnectEvent): Promise<APIGatewayProxyResultV2> => {
  const { connectionId, requestId } = event.requestContext;
  const auth = wsAuthContextOf(event.requestContext.authorizer);
  const now = Date.now();
  await putConnection({
    connectionId,
    userId: auth.userId,
    roles: auth.roles,
    connectedAt: new Date(now).toISOString(),
    ttl: Math.min(auth.exp, Math.floor(now / 1000) + MAX_CONNECTION_SECONDS),
    // What revocation is checked against at each frame and delivery.
    ...(auth.session === undefined ? {} : { issuedAt: auth.session.issuedAt }),
    ...(auth.session?.originJti === undefined ? {} : { originJti: auth.session.originJti }),
  });
  logger.info('connected', { requestId, connectionId, userId: auth.userId });
  return { statusCode: 200 };
};
