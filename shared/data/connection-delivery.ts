/**
 * Frames to WebSocket connections through the stage's @connections API (the twin's gateway
 * serves the same API). The client is made on first use: only functions granted
 * `connections:manage` have its endpoint.
 */
import type { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { requireEnv } from '#runtime/config.ts';

type ManagementSdk = typeof import('@aws-sdk/client-apigatewaymanagementapi');

// Loaded with the first frame, not at cold start: most requests of the functions that may post
// (auth, users) never do.
let management: Promise<{ client: ApiGatewayManagementApiClient; sdk: ManagementSdk }> | undefined;
const managementApi = () => {
  management ??= import('@aws-sdk/client-apigatewaymanagementapi').then((sdk) => ({
    sdk,
    client: new sdk.ApiGatewayManagementApiClient({ endpoint: requireEnv('wsManagementEndpoint') }),
  }));
  management.catch(() => {
    management = undefined;
  });
  return management;
};

const isGone = (error: unknown, sdk: ManagementSdk) =>
  error instanceof sdk.GoneException || (error instanceof Error && error.name === 'GoneException');

/** Posts one JSON frame; 'gone' when the connection no longer exists (410). */
export const postFrame = async (connectionId: string, frame: unknown): Promise<'sent' | 'gone'> => {
  const { client, sdk } = await managementApi();
  try {
    await client.send(
      new sdk.PostToConnectionCommand({
        ConnectionId: connectionId,
        Data: Buffer.from(JSON.stringify(frame)),
      }),
    );
    return 'sent';
  } catch (error) {
    if (isGone(error, sdk)) return 'gone';
    throw error;
  }
};

/** Closes a connection (its token expired); one already gone is fine. */
export const closeConnection = async (connectionId: string): Promise<void> => {
  const { client, sdk } = await managementApi();
  try {
    await client.send(new sdk.DeleteConnectionCommand({ ConnectionId: connectionId }));
  } catch (error) {
    if (!isGone(error, sdk)) throw error;
  }
};
