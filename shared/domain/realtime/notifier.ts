/**
 * What the notify consumer does with one table change: keep the membership counters (after a
 * message, after a receipt) and post the change's frame to every live connection of its
 * audience (shared/domain/realtime/live-delivery.ts), except the frames the write path already
 * delivered inline (`INLINE_FRAMES`).
 */
import type { LastActor } from '../context.ts';
import type { MembershipRecord } from '../messaging/ports.ts';
import { idsCoveredBy } from '../messaging/rules.ts';
import {
  COUNTERS_ACTION,
  INLINE_FRAMES,
  type ItemChange,
  type Notification,
  notificationOf,
} from './frames.ts';
import { createLiveDelivery, type DeliveryPorts, type DeliveryReport } from './live-delivery.ts';

export type { DeliveryReport, LiveConnection } from './live-delivery.ts';

type MemberRef = { conversationId: string; userId: string };

export interface NotifierPorts extends DeliveryPorts {
  membersOf(conversationId: string): Promise<MembershipRecord[]>;
  countMessageFor(
    member: MemberRef,
    message: { id: string; sentAt: string },
    actor: LastActor,
  ): Promise<void>;
  recordActivity(member: MemberRef, sentAt: string, actor: LastActor): Promise<unknown>;
  dropCoveredUnread(member: MemberRef, coveredIds: readonly string[], actor: LastActor): Promise<void>;
  /** The users (subs) with a live connection opened with a credentialing or admin role. */
  deskUsers(): Promise<string[]>;
}

const NOTHING_SENT: DeliveryReport = { sent: 0, gone: 0, closed: 0, refused: 0 };

const countersActor = (requestId: string): LastActor => ({
  userId: 'system',
  roles: ['system'],
  requestId,
  action: COUNTERS_ACTION,
});

export const createNotifier = (ports: NotifierPorts) => {
  const live = createLiveDelivery(ports);
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
        'conversationId' in audience
          ? members.map((member) => member.userId)
          : 'ownerUserId' in audience
            ? [...new Set([audience.ownerUserId, ...(audience.desk ? await ports.deskUsers() : [])])]
            : await ports.deskUsers();
      // Frames first: they are what someone is waiting for; counters may trail a moment.
      const report = INLINE_FRAMES.has(notification.frame.type)
        ? NOTHING_SENT
        : await live.deliver(notification, recipients, context.now);
      await keepCounters(change, notification, members, countersActor(context.requestId));
      return report;
    },
  };
};
