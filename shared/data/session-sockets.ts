/**
 * Ending a session reaches its sockets at once: each connection of the session (or of the user,
 * when every session ends) gets a `session.revoked` frame and is closed (DeleteConnection), then
 * forgotten. A function that calls it needs `connections:manage`.
 */
import type { SocketCloser } from '#domain/identity/sessions.ts';
import type { ServerFrame } from '#domain/realtime/frames.ts';
import { closeConnection, postFrame } from './connection-delivery.ts';
import { forgetConnection, listConnectionsOfUser } from './connections.ts';

export const sessionSockets: SocketCloser = {
  closeSockets: async (userId, reason, which) => {
    // The connection items, not the presence item: sign-out reaches connections of every age.
    const connections = (await listConnectionsOfUser(userId)).filter(
      (connection) => which === 'all' || connection.originJti === which.originJti,
    );
    const frame: ServerFrame = { type: 'session.revoked', reason };
    await Promise.all(
      connections.map(async (connection) => {
        const { connectionId } = connection;
        if ((await postFrame(connectionId, frame)) === 'sent') await closeConnection(connectionId);
        await forgetConnection(connection);
      }),
    );
    return connections.length;
  },
};
