/**
 * Ending a session reaches its sockets at once: each connection of the session (or of the user,
 * when every session ends) gets a `session.revoked` frame and is closed (DeleteConnection), then
 * forgotten. A function that calls it needs `connections:manage`.
 */
import type { SocketCloser } from '#domain/identity/sessions.ts';
import type { ServerFrame } from '#domain/realtime/frames.ts';
import { closeConnection, postFrame } from './connection-delivery.ts';
import { deleteConnection, listConnectionsOfUser } from './connections.ts';

export const sessionSockets: SocketCloser = {
  closeSockets: async (userId, reason, which) => {
    const connections = (await listConnectionsOfUser(userId)).filter(
      (connection) => which === 'all' || connection.originJti === which.originJti,
    );
    const frame: ServerFrame = { type: 'session.revoked', reason };
    await Promise.all(
      connections.map(async ({ connectionId }) => {
        if ((await postFrame(connectionId, frame)) === 'sent') await closeConnection(connectionId);
        await deleteConnection(connectionId);
      }),
    );
    return connections.length;
  },
};
