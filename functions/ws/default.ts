/**
 * WebSocket `$default`: every client frame arrives here and is dispatched on `action`
 * (sendMessage, markRead, ping). Answers (ack, pong, error) go back through @connections.
 * A connection whose token has expired, or whose session has ended, is closed instead of served.
 */

import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { closeConnection, postFrame } from '#data/connection-delivery.ts';
import { forgetConnection } from '#data/connections.ts';
import type { ServiceContext } from '#domain/context.ts';
import type { ServerFrame } from '#domain/realtime/frames.ts';
import { type Claims, wsAuthContextOf } from '#runtime/auth-context.ts';
import { logger } from '#runtime/logger.ts';
import { sessionGuard } from '#runtime/session-guard.ts';
import { type ClientFrame, clientMessageIdOf, errorFrame, parseClientFrame } from '#runtime/ws-frames.ts';
import { WS_MAX_CONNECTION_SECONDS } from '#shared/limits.ts';
import { messagingService as messaging } from '#shared/services/messaging.ts';

type MessageEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: APIGatewayProxyWebsocketEventV2['requestContext'] & { authorizer?: Claims | null };
};

const answer = async (frame: ClientFrame, context: ServiceContext): Promise<ServerFrame | undefined> => {
  if (frame.action === 'ping') return { type: 'pong' };
  if (frame.action === 'markRead') {
    await messaging.markRead(context, frame.conversationId, frame.upToMessageId);
    return undefined;
  }
  const { conversationId, action: _action, ...input } = frame;
  const message = await messaging.sendMessage(context, conversationId, input);
  return { type: 'ack', clientMessageId: frame.clientMessageId, messageId: message.id };
};

export const handler = async (event: MessageEvent): Promise<APIGatewayProxyResultV2> => {
  const { connectionId, requestId, connectedAt } = event.requestContext;
  const auth = wsAuthContextOf(event.requestContext.authorizer);
  const now = new Date();
  const ttl = Math.min(auth.exp, Math.floor(connectedAt / 1000) + WS_MAX_CONNECTION_SECONDS);
  if (ttl <= Math.floor(now.getTime() / 1000)) {
    await closeConnection(connectionId);
    await forgetConnection({ connectionId, userId: auth.userId });
    logger.info('closed expired connection', { requestId, connectionId });
    return { statusCode: 200 };
  }
  if (await sessionGuard.isRevoked(auth.userId, auth.session ?? { issuedAt: 0 }, now)) {
    await postFrame(connectionId, { type: 'session.revoked', reason: 'revoked' });
    await closeConnection(connectionId);
    await forgetConnection({ connectionId, userId: auth.userId });
    logger.info('closed revoked connection', { requestId, connectionId });
    return { statusCode: 200 };
  }
  let reply: ServerFrame | undefined;
  try {
    const context = { actor: { userId: auth.userId, roles: auth.roles }, now, requestId };
    reply = await answer(parseClientFrame(event.body), context);
  } catch (error) {
    const failure = errorFrame(error, requestId, clientMessageIdOf(event.body));
    if (failure.problem.status >= 500) logger.error('frame failed', { requestId, connectionId, error });
    reply = failure;
  }
  if (reply) await postFrame(connectionId, reply);
  return { statusCode: 200 };
};
