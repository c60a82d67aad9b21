/**
 * Frames to WebSocket connections through the stage's @connections API (the twin's gateway
 * serves the same API). The client is made on first use: only functions granted
 * `connections:manage` have its endpoint.
 */
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { requireEnv } from '#runtime/config.ts';

let client: ApiGatewayManagementApiClient | undefined;
const management = () => {
  client ??= new ApiGatewayManagementApiClient({ endpoint: requireEnv('wsManagementEndpoint') });
  return client;
};

const isGone = (error: unknown) =>
  error instanceof GoneException || (error instanceof Error && error.name === 'GoneException');

/** Posts one JSON frame; 'gone' when the connection no longer exists (410). */
export const postFrame = async (connectionId: string, frame: unknown): Promise<'sent' | 'gone'> => {
  try {
    await management().send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(JSON.stringify(frame)) }),
    );
    return 'sent';
  } catch (error) {
    if (isGone(error)) return 'gone';
    throw error;
  }
};

/** Closes a connection (its token expired); one already gone is fine. */
export const closeConnection = async (connectionId: string): Promise<void> => {
  try {
    await management().send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
  } catch (error) {
    if (!isGone(error)) throw error;
  }
};
