/**
 * WebSocket connections in Main (shared/data/entities/connections.ts): one item per connection,
 * listed per user, and the same connection in its user's presence item (`LIVE#<sub>`), which is
 * what a send reads: one BatchGetItem for every participant instead of one Query each.
 */
import { type Connection, ConnectionSchema } from '#domain/schemas/connection.ts';
import { is } from './conditions.ts';
import {
  connectionEntity,
  type PresentConnection,
  presenceAttribute,
  presenceEntity,
} from './entities/connections.ts';
import { applied } from './entity-writes.ts';

/** At most this many keys in one BatchGetItem (DynamoDB's limit). */
const BATCH_GET_KEYS = 100;

/** What the presence item keeps of a connection. */
const presentOf = (connection: Connection): PresentConnection => ({
  connectionId: connection.connectionId,
  userId: connection.userId,
  roles: connection.roles,
  ttl: connection.ttl,
  ...(connection.issuedAt === undefined ? {} : { issuedAt: connection.issuedAt }),
  ...(connection.originJti === undefined ? {} : { originJti: connection.originJti }),
});

/**
 * Registers a connection (a second put for the same id is refused: StaleWrite) and adds it to its
 * user's presence item, both at once: two writes per connect, so that a send reads one item per user.
 */
export const putConnection = async (connection: Connection): Promise<void> => {
  await Promise.all([
    connectionEntity.create(connection),
    presenceEntity.update(
      { userId: connection.userId },
      {
        set: {
          kind: presenceEntity.kind,
          userId: connection.userId,
          [presenceAttribute(connection.connectionId)]: presentOf(connection),
        },
      },
    ),
  ]);
};

const forgetPresence = (connectionId: string, userId: string): Promise<boolean> =>
  // Only an existing item: a REMOVE alone would create an empty one.
  applied(presenceEntity.update({ userId }, { remove: [presenceAttribute(connectionId)] }, [is.present()]));

/** Removes a connection whose user is known, and its presence entry; either already gone is fine. */
export const forgetConnection = async ({
  connectionId,
  userId,
}: Pick<Connection, 'connectionId' | 'userId'>): Promise<void> => {
  await Promise.all([connectionEntity.remove({ connectionId }), forgetPresence(connectionId, userId)]);
};

/** Removes a connection known by id only (`$disconnect`): its item says whose presence to update. */
export const deleteConnection = async (connectionId: string): Promise<void> => {
  const connection = await connectionEntity.get({ connectionId });
  await Promise.all([
    connectionEntity.remove({ connectionId }),
    connection ? forgetPresence(connectionId, connection.userId) : undefined,
  ]);
};

/** A user's connections: one Query (a user has a handful; one page holds them). */
export const listConnectionsOfUser = async (userId: string): Promise<Connection[]> =>
  (await connectionEntity.all.byUser({ userId })).map((item) => ConnectionSchema.parse(item));

/** The live connections of many users: one BatchGetItem per 100 users, all at once. */
export const liveConnectionsOf = async (
  userIds: readonly string[],
): Promise<Map<string, PresentConnection[]>> => {
  const unique = [...new Set(userIds)];
  const chunks = Array.from({ length: Math.ceil(unique.length / BATCH_GET_KEYS) }, (_, index) =>
    unique.slice(index * BATCH_GET_KEYS, (index + 1) * BATCH_GET_KEYS),
  );
  const found = (
    await Promise.all(chunks.map((chunk) => presenceEntity.getMany(chunk.map((userId) => ({ userId })))))
  ).flat();
  const byUser = new Map(unique.map((userId) => [userId, [] as PresentConnection[]]));
  for (const presence of found) byUser.set(presence.userId, presence.connections);
  return byUser;
};

/** The users with a connection opened as credentialing or admin: one Query of the sparse desk index. */
export const listDeskUsers = async (): Promise<string[]> => [
  ...new Set((await connectionEntity.all.byDesk({})).map((item) => item.userId)),
];
