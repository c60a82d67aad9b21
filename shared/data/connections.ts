/**
 * WebSocket connections in Main (shared/data/entities/connections.ts): one item per connection,
 * listed per user, and the same connection in its user's presence item (`LIVE#<sub>`), which is
 * what a send reads: one BatchGetItem for every participant instead of one Query each.
 */
import type { Connection } from '#domain/schemas/connection.ts';
import { is } from './conditions.ts';
import {
  connectionEntity,
  PRESENCE_COMPLETE,
  type PresentConnection,
  presenceAttribute,
  presenceEntity,
} from './entities/connections.ts';
import { applied } from './entity-writes.ts';
import { onFirstUse } from './on-first-use.ts';

// Imported where a list is read, so $connect and $disconnect, which only put and delete, bundle
// no zod at all (~95 KB and ~10 ms of their cold import).
const connectionSchema = /* @__PURE__ */ onFirstUse(
  async () => (await import('#domain/schemas/connection.ts')).ConnectionSchema,
);

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
export const listConnectionsOfUser = async (userId: string): Promise<Connection[]> => {
  const [schema, items] = await Promise.all([connectionSchema(), connectionEntity.all.byUser({ userId })]);
  return items.map((item) => schema.parse(item));
};

/**
 * The presence item of a user it was missing for, or not yet complete: read from the user's
 * `Connection` items (one Query, as before presence items), then written with what was found —
 * empty when nothing was — and marked complete, only if no other reader completed it meanwhile.
 * Presence items need no migration this way: each user costs at most one Query after the deploy.
 */
const completePresence = async (userId: string, present: readonly PresentConnection[]) => {
  const found = (await listConnectionsOfUser(userId)).map(presentOf);
  // The Query may miss a tab opened this instant whose presence attribute is already set.
  const seen = new Set(found.map((connection) => connection.connectionId));
  const connections = [...found, ...present.filter((connection) => !seen.has(connection.connectionId))];
  const set = Object.fromEntries([
    ['kind', presenceEntity.kind],
    ['userId', userId],
    [PRESENCE_COMPLETE, true],
    ...found.map((connection) => [presenceAttribute(connection.connectionId), connection]),
  ]);
  await applied(presenceEntity.update({ userId }, { set }, [is.absent(PRESENCE_COMPLETE)]));
  return connections;
};

/**
 * The live connections of many users: one BatchGetItem per 100 users, all at once, and for a
 * user without a complete presence item the fallback above (once per user).
 */
export const liveConnectionsOf = async (
  userIds: readonly string[],
): Promise<Map<string, PresentConnection[]>> => {
  const unique = [...new Set(userIds)];
  const found = await presenceEntity.getMany(unique.map((userId) => ({ userId })));
  const byUser = new Map(found.map((presence) => [presence.userId, presence]));
  return new Map(
    await Promise.all(
      unique.map(async (userId) => {
        const presence = byUser.get(userId);
        if (presence?.complete) return [userId, presence.connections] as const;
        return [userId, await completePresence(userId, presence?.connections ?? [])] as const;
      }),
    ),
  );
};

/** The users with a connection opened as credentialing or admin: one Query of the sparse desk index. */
export const listDeskUsers = async (): Promise<string[]> => [
  ...new Set((await connectionEntity.all.byDesk({})).map((item) => item.userId)),
];
