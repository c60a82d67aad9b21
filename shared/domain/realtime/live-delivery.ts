/**
 * Posting a frame to every live connection of its recipients, concurrently: the notify consumer
 * and the write paths that deliver inline (a sent message) share it. Each connection is checked
 * at delivery: it must belong to the recipient it was looked up for, that user must still be
 * allowed to read the item, and its token must not have expired nor its session ended (then it is
 * told, closed and forgotten, not served). A connection that answers 410 is forgotten.
 */
import { type Actor, decide } from '../policy.ts';
import type { Connection } from '../schemas/connection.ts';
import type { Notification, ServerFrame } from './frames.ts';

/** What delivery needs of a connection: whose it is, with which roles, until when (`ttl`). */
export type LiveConnection = Pick<Connection, 'connectionId' | 'userId' | 'roles' | 'ttl'> &
  Partial<Pick<Connection, 'issuedAt' | 'originJti'>>;

export interface DeliveryPorts {
  /** The live connections of each of these users, in as few reads as the store allows. */
  connectionsOfUsers(userIds: readonly string[]): Promise<ReadonlyMap<string, LiveConnection[]>>;
  post(connectionId: string, frame: ServerFrame): Promise<'sent' | 'gone'>;
  close(connectionId: string): Promise<void>;
  forget(connection: LiveConnection): Promise<void>;
  /** Whether the session the connection was opened with has ended (revocation). */
  sessionEnded(connection: LiveConnection): Promise<boolean>;
}

/** Each recipient with its connections, as looked up. */
export type RecipientConnections = ReadonlyArray<readonly [string, LiveConnection[]]>;

export interface DeliveryReport {
  sent: number;
  gone: number;
  closed: number;
  refused: number;
}

/** Whether the policy lets this connection's user see the item now. */
const mayReceive = (
  connection: LiveConnection,
  recipient: string,
  notification: Notification,
  participantIds: readonly string[],
): boolean => {
  if (connection.userId !== recipient) return false;
  const actor: Actor = { userId: connection.userId, roles: connection.roles };
  const { audience } = notification;
  const decision =
    'conversationId' in audience
      ? decide(actor, 'read', { type: 'Conversation', participantIds })
      : 'ownerUserId' in audience
        ? decide(actor, 'read', { type: audience.resource, ownerUserId: audience.ownerUserId })
        : decide(actor, 'read', { type: audience.resource });
  return decision === 'allow';
};

const SESSION_ENDED: ServerFrame = { type: 'session.revoked', reason: 'revoked' };

export const createLiveDelivery = (ports: DeliveryPorts) => {
  const toConnection = async (
    connection: LiveConnection,
    notification: Notification,
    recipient: string,
    recipients: readonly string[],
    nowSeconds: number,
  ): Promise<keyof DeliveryReport> => {
    if (!mayReceive(connection, recipient, notification, recipients)) return 'refused';
    if (connection.ttl <= nowSeconds) {
      await ports.close(connection.connectionId);
      await ports.forget(connection);
      return 'closed';
    }
    if (await ports.sessionEnded(connection)) {
      if ((await ports.post(connection.connectionId, SESSION_ENDED)) === 'sent')
        await ports.close(connection.connectionId);
      await ports.forget(connection);
      return 'closed';
    }
    if ((await ports.post(connection.connectionId, notification.frame)) === 'sent') return 'sent';
    await ports.forget(connection);
    return 'gone';
  };

  /** Every recipient's connections: one lookup for all of them. */
  const lookup = async (recipients: readonly string[]): Promise<RecipientConnections> => {
    const byUser = await ports.connectionsOfUsers(recipients);
    return recipients.map((recipient) => [recipient, byUser.get(recipient) ?? []] as const);
  };

  return {
    lookup,
    /**
     * Posts the notification's frame to every live connection of the recipients; one lookup for
     * all of them, unless `lookedUp` (started earlier with `lookup`, e.g. while the item was written).
     */
    deliver: async (
      notification: Notification,
      recipients: readonly string[],
      now: Date,
      lookedUp: Promise<RecipientConnections> = lookup(recipients),
    ): Promise<DeliveryReport> => {
      const report: DeliveryReport = { sent: 0, gone: 0, closed: 0, refused: 0 };
      const nowSeconds = Math.floor(now.getTime() / 1000);
      const outcomes = await Promise.all(
        (await lookedUp).flatMap(([recipient, connections]) =>
          connections.map((connection) =>
            toConnection(connection, notification, recipient, recipients, nowSeconds),
          ),
        ),
      );
      for (const outcome of outcomes) report[outcome] += 1;
      return report;
    },
  };
};
