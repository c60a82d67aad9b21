/**
 * Sent messages to the participants' live connections, from the write path: one Query of
 * connections per participant, every post concurrent (the @connections client keeps its
 * connection alive). Failures are logged, never thrown — the message is stored; a recipient who
 * missed the frame catches up with `?after=`.
 */
import type { LiveMessages } from '#domain/messaging/ports.ts';
import { messageCreatedNotification } from '#domain/realtime/frames.ts';
import { createLiveDelivery } from '#domain/realtime/live-delivery.ts';
import { logger } from '#runtime/logger.ts';
import { connectionSessionEnded } from '#runtime/session-guard.ts';
import { closeConnection, postFrame } from './connection-delivery.ts';
import { deleteConnection, listConnectionsOfUser } from './connections.ts';

const delivery = createLiveDelivery({
  connectionsOf: listConnectionsOfUser,
  post: postFrame,
  close: closeConnection,
  forget: deleteConnection,
  sessionEnded: connectionSessionEnded,
});

export const liveMessages: LiveMessages = {
  messageSent: async (message, participantIds, now) => {
    try {
      const report = await delivery.deliver(messageCreatedNotification(message), participantIds, now);
      if (report.refused > 0)
        logger.warn('connections refused at delivery', { messageId: message.id, ...report });
    } catch (error) {
      logger.warn('live delivery failed: recipients catch up with ?after=', { messageId: message.id, error });
    }
  },
};
