/**
 * WebSocket connections in Main (shared/data/entities/connections.ts): one item per connection,
 * listed per user. Each function is one DynamoDB call with its condition right there.
 */
import { type Connection, ConnectionSchema } from '#domain/schemas/connection.ts';
import { connectionEntity } from './entities/connections.ts';

/** Registers a connection; a second put for the same id is refused (StaleWrite). */
export const putConnection = (connection: Connection): Promise<void> => connectionEntity.create(connection);

/** Removes a connection; removing one that is already gone is not an error. */
export const deleteConnection = (connectionId: string): Promise<void> =>
  connectionEntity.remove({ connectionId });

/** A user's connections: one Query (a user has a handful; one page holds them). */
export const listConnectionsOfUser = async (userId: string): Promise<Connection[]> =>
  (await connectionEntity.all.byUser({ userId })).map((item) => ConnectionSchema.parse(item));

/** The users with a connection opened as credentialing or admin: one Query of the sparse desk index. */
export const listDeskUsers = async (): Promise<string[]> => [
  ...new Set((await connectionEntity.all.byDesk({})).map((item) => item.userId)),
];
