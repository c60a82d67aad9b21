/** WebSocket `$disconnect`: removes the connection (already gone is fine). */
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { deleteConnection } from '#data/connections.ts';
import { logger } from '#runtime/logger.ts';

export const handler = async (event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> => {
  const { connectionId, requestId } = event.requestContext;
  await deleteConnection(connectionId);
  logger.info('disconnected', { requestId, connectionId });
  return { statusCode: 200 };
};
