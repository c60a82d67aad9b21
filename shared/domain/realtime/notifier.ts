/**
 * What the notify consumer does with one table change: keep the membership counters (after a
 * message, after a receipt) and post the change's frame to every live connection of its
 * audience. Each connection is checked at delivery: it must belong to the recipient it was
 * looked up for, that user must still be allowed to read the item, and its token must not have
 * expired nor its session ended (then it is closed, not served). A connection that answers 410 is forgotten.
 */
import type { LastActor } from '../context.ts';
import type { MembershipRecord } from '../messaging/ports.ts';
import { idsCoveredBy } from '../messaging/rules.ts';
import { type Actor, decide } from '../policy.ts';
import type { Connection } from '../schemas/connection.ts';
import {
  COUNTERS_ACTION,
  type ItemChange,
  type Notification,
  notificationOf,
  type ServerFrame,
} from './frames.ts';

/** What delivery needs of a connection: whose it is, with which roles, until when (`ttl`). */
export type LiveConnection = Pick<Connection, 'connectionId' | 'userId' | 'roles' | 'ttl'> &
  Partial<Pick<Connection, 'issuedAt' | 'originJti'>>;

type MemberRef = { conversationId: string; userId: string };

export interface NotifierPorts {
  membersOf(conversationId: string): Promise<MembershipRecord[]>;
  connectionsOf(userId: string): Promise<LiveConnection[]>;
  post(connectionId: string, frame: ServerFrame): Promise<'sent' | 'gone'>;
  close(connectionId: string): Promise<void>;
  forget(connectionId: string): Promise<void>;
  /** Whether the session the connection was opened with has ended (revocation). */
  sessionEnded(connection: LiveConnection): Promise<boolean>;
  countMessageFor(
    member: MemberRef,
    message: { id: string; sentAt: string },
    actor: LastActor,
  ): Promise<void>;
  recordActivity(member: MemberRef, sentAt: string, actor: LastActor): Promise<unknown>;
  dropCoveredUnread(member: MemberRef, coveredIds: readonly string[], actor: LastActor): Promise<void>;
}

export interface DeliveryReport {
  sent: number;
  gone: number;
  closed: number;
  refused: number;
}

const countersActor = (requestId: string): LastActor => ({
  userId: 'system',
  roles: ['system'],
  requestId,
  action: COUNTERS_ACTION,
});

export const createNotifier = (ports: NotifierPorts) => {
  /** Who may see the item, as the policy decides it now, for this connection's user. */
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
        : decide(actor, 'read', { type: audience.resource, ownerUserId: audience.ownerUserId });
    return decision === 'allow';
  };

  const deliver = async (
    notification: Notification,
    recipients: readonly string[],
    now: Date,
  ): Promise<DeliveryReport> => {
    const report: DeliveryReport = { sent: 0, gone: 0, closed: 0, refused: 0 };
    const nowSeconds = Math.floor(now.getTime() / 1000);
    await Promise.all(
      recipients.map(async (recipient) => {
        const connections = await ports.connectionsOf(recipient);
        await Promise.all(
          connections.map(async (connection) => {
            if (!mayReceive(connection, recipient, notification, recipients)) {
              report.refused += 1;
              return;
            }
            if (connection.ttl <= nowSeconds) {
              await ports.close(connection.connectionId);
              await ports.forget(connection.connectionId);
              report.closed += 1;
              return;
            }
            if (await ports.sessionEnded(connection)) {
              const frame = { type: 'session.revoked', reason: 'revoked' } as const;
              if ((await ports.post(connection.connectionId, frame)) === 'sent')
                await ports.close(connection.connectionId);
              await ports.forget(connection.connectionId);
              report.closed += 1;
              return;
            }
            if ((await ports.post(connection.connectionId, notification.frame)) === 'gone') {
              await ports.forget(connection.connectionId);
              report.gone += 1;
            } else report.sent += 1;
          }),
        );
      }),
    );
    return report;
  };

  const keepCounters = async (
    change: ItemChange,
    notification: Notification,
    members: readonly MembershipRecord[],
    actor: LastActor,
  ): Promise<void> => {
    const { frame } = notification;
    if (frame.type === 'message.created') {
      const { message } = frame;
      await Promise.all(
        members.map((member) =>
          member.userId === message.senderId
            ? ports.recordActivity(member, message.sentAt, actor)
            : ports.countMessageFor(member, message, actor),
        ),
      );
    }
    if (frame.type === 'message.read') {
      const unreadIds = change.newImage?.unreadIds;
      const ids = Array.isArray(unreadIds) ? unreadIds.filter((id) => typeof id === 'string') : [];
      await ports.dropCoveredUnread(frame, idsCoveredBy(ids, frame.upToMessageId), actor);
    }
  };

  return {
    /** Handles one change; throws when a delivery or counter write failed (the record is retried). */
    handle: async (
      change: ItemChange,
      context: { now: Date; requestId: string },
    ): Promise<DeliveryReport | undefined> => {
      const notification = notificationOf(change);
      if (!notification) return undefined;
      const { audience } = notification;
      const members = 'conversationId' in audience ? await ports.membersOf(audience.conversationId) : [];
      const recipients =
        'conversationId' in audience ? members.map((member) => member.userId) : [audience.ownerUserId];
      // Frames first: they are what someone is waiting for; counters may trail a moment.
      const report = await deliver(notification, recipients, context.now);
      await keepCounters(change, notification, members, countersActor(context.requestId));
      return report;
    },
  };
};
