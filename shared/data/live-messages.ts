/**
 * Sent messages to the participants' live connections, from the write path: one BatchGetItem of
 * the participants' presence items (per 100), started before the message's write (`lookAhead`) so that it
 * overlaps it, every post concurrent (the @connections client keeps its connection alive). Failures are logged, never thrown — the message is stored; a recipient who
 * missed the frame catches up with `?after=`.
 */
import type { LiveMessages } from '#domain/messaging/ports.ts';
import { messageCreatedNotification } from '#domain/realtime/frames.ts';
import { createLiveDelivery, type RecipientConnections } from '#domain/realtime/live-delivery.ts';
import { logger } from '#runtime/logger.ts';
import { connectionSessionEnded } from '#runtime/session-guard.ts';
import { closeConnection, postFrame } from './connection-delivery.ts';
import { forgetConnection, liveConnectionsOf } from './connections.ts';

const delivery = createLiveDelivery({
  connectionsOfUsers: liveConnectionsOf,
  post: postFrame,
  close: closeConnection,
  forget: forgetConnection,
  sessionEnded: connectionSessionEnded,
});

// Lookups started by lookAhead, keyed by the participants array the send then passes again; a
// send whose write fails leaves its entry to the garbage collector with the array.
const lookedAhead = new WeakMap<readonly string[], Promise<RecipientConnections>>();

export const liveMessages: LiveMessages = {
  lookAhead: (participantIds) => {
    const lookup = delivery.lookup(participantIds);
    // Awaited (and its failure logged) by messageSent; a send that fails before it never awaits it.
    lookup.catch(() => undefined);
    lookedAhead.set(participantIds, lookup);
  },

  messageSent: async (message, participantIds, now) => {
    const lookup = lookedAhead.get(participantIds);
    lookedAhead.delete(participantIds);
    try {
      const notification = messageCreatedNotification(message);
      const report = await delivery.deliver(notification, participantIds, now, lookup);
      if (report.refused > 0)
        logger.warn('connections refused at delivery', { messageId: message.id, ...report });
    } catch (error) {
      logger.warn('live delivery failed: recipients catch up with ?after=', { messageId: message.id, error });
    }
  },
};
