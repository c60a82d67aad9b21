/**
 * WebSocket connections in Main: one item per connection, listed per user through gsi1.
 * Each function is one DynamoDB call with its condition right there.
 */
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Connection, ConnectionSchema } from '#domain/schemas/connection.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { connectionKeys } from './keys.ts';
import { MAIN_INDEX } from './tables.ts';

const GSI1 = MAIN_INDEX.byOwner;

/** Registers a connection; a second put for the same id fails (ConditionalCheckFailed). */
export const putConnection = async (connection: Connection): Promise<void> => {
  await documentClient.send(
    new PutCommand({
      TableName: requireEnv('mainTable'),
      Item: {
        ...connectionKeys.primary(connection.connectionId),
        ...connectionKeys.byUser(connection.userId, connection.connectionId),
        kind: connectionKeys.kind,
        ...connection,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

/** Removes a connection; removing one that is already gone is not an error. */
export const deleteConnection = async (connectionId: string): Promise<void> => {
  await documentClient.send(
    new DeleteCommand({ TableName: requireEnv('mainTable'), Key: connectionKeys.primary(connectionId) }),
  );
};

/** A user's connections: one Query on gsi1 (a user has a handful; one page holds them). */
export const listConnectionsOfUser = async (userId: string): Promise<Connection[]> => {
  const { gsi1pk, gsi1skPrefix } = connectionKeys.userQuery(userId);
  const result = await documentClient.send(
    new QueryCommand({
      TableName: requireEnv('mainTable'),
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': gsi1pk, ':prefix': gsi1skPrefix },
    }),
  );
  return (result.Items ?? []).map((item) => ConnectionSchema.parse(item));
};
