/**
 * WebSocket connections in Main (shared/data/entities/connections.ts): one item per connection,
 * listed per user. Each function is one DynamoDB call with its condition right there.
 */
import type { Connection } from '#domain/schemas/connection.ts';
import { connectionEntity } from './entities/connections.ts';
import { onFirstUse } from './on-first-use.ts';

// Imported where a list is read, so $connect and $disconnect, which only put and delete, bundle
// no zod at all (~95 KB and ~10 ms of their cold import).
const connectionSchema = /* @__PURE__ */ onFirstUse(
  async () => (await import('#domain/schemas/connection.ts')).ConnectionSchema,
);

/** Registers a connection; a second put for the same id is refused (StaleWrite). */
export const putConnection = (connection: Connection): Promise<void> => connectionEntity.create(connection);

/** Removes a connection; removing one that is already gone is not an error. */
export const deleteConnection = (connectionId: string): Promise<void> =>
  connectionEntity.remove({ connectionId });

/** A user's connections: one Query (a user has a handful; one page holds them). */
export const listConnectionsOfUser = async (userId: string): Promise<Connection[]> => {
  const [schema, items] = await Promise.all([connectionSchema(), connectionEntity.all.byUser({ userId })]);
  return items.map((item) => schema.parse(item));
};

/** The users with a connection opened as credentialing or admin: one Query of the sparse desk index. */
export const listDeskUsers = async (): Promise<string[]> => [
  ...new Set((await connectionEntity.all.byDesk({})).map((item) => item.userId)),
];
