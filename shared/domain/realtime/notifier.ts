/**
 * What the notify consumer does with the changes of one stream batch: post each change's frame to
 * every live connection of its audience (shared/domain/realtime/live-delivery.ts), except the
 * frames the write path already delivered inline (`INLINE_FRAMES`), and keep the membership
 * counters (after messages, after receipts). Frames go out record by record, in order; counters
 * are kept once per member for the whole batch (`settle`), a run of messages counted in one write.
 */
import type { LastActor } from '../context.ts';
import { forEachInFlight } from '../in-flight.ts';
import type { MembershipRecord } from '../messaging/ports.ts';
import { type CounterState, idsCoveredBy } from '../messaging/rules.ts';
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
type CountedMessage = { id: string; senderId: string; sentAt: string };

export interface NotifierPorts extends DeliveryPorts {
  membersOf(conversationId: string): Promise<MembershipRecord[]>;
  /** Counts a run of messages for a member in one write planned on `known`; the state it left. */
  countMessagesFor(
    member: MemberRef,
    messages: readonly CountedMessage[],
    actor: LastActor,
    known: CounterState,
  ): Promise<CounterState>;
  dropCoveredUnread(member: MemberRef, coveredIds: readonly string[], actor: LastActor): Promise<void>;
  /** The users (subs) with a live connection opened with a credentialing or admin role. */
  deskUsers(): Promise<string[]>;
}

/**
 * Members whose counters are written at once. A conversation's memberships share its partition,
 * and a burst of one write per member (99 in a full conversation) queued ahead of the next send's
 * reads: in the twin, at the one DynamoDB Local; in AWS, at the partition (docs/decisions.md,
 * "Counters and the change log once per batch").
 */
export const COUNTER_WRITES_IN_FLIGHT = 4;

const NOTHING_SENT: DeliveryReport = { sent: 0, gone: 0, closed: 0, refused: 0 };

const countersActor = (requestId: string): LastActor => ({
  userId: 'system',
  roles: ['system'],
  requestId,
  action: COUNTERS_ACTION,
});

/** A member's counter work in a batch, in stream order: runs of messages, and receipts between. */
type CounterStep = { messages: CountedMessage[] } | { readUpTo: string; counted: string[] };

interface MemberCounters {
  member: MemberRef;
  known: CounterState;
  steps: CounterStep[];
}

/** Runs one member's steps in order, each run of messages one write. */
const keepMemberCounters = async (ports: NotifierPorts, counters: MemberCounters, actor: LastActor) => {
  let known = counters.known;
  for (const step of counters.steps) {
    if ('messages' in step) {
      known = await ports.countMessagesFor(counters.member, step.messages, actor, known);
      continue;
    }
    const covered = idsCoveredBy([...new Set([...step.counted, ...known.unreadIds])], step.readUpTo);
    if (covered.length === 0) continue;
    await ports.dropCoveredUnread(counters.member, covered, actor);
    known = { ...known, unreadIds: known.unreadIds.filter((id) => !covered.includes(id)) };
  }
};

export const createNotifier = (ports: NotifierPorts) => {
  const live = createLiveDelivery(ports);
  const counters = new Map<string, MemberCounters>();
  let firstRequestId: string | undefined;

  const counterWorkOf = (member: MemberRef, known: CounterState): MemberCounters => {
    const key = `${member.conversationId}\u0000${member.userId}`;
    const existing = counters.get(key);
    if (existing) return existing;
    const created: MemberCounters = {
      member: { conversationId: member.conversationId, userId: member.userId },
      known,
      steps: [],
    };
    counters.set(key, created);
    return created;
  };

  const noteCounters = (
    change: ItemChange,
    notification: Notification,
    members: readonly MembershipRecord[],
    requestId: string,
  ) => {
    const { frame } = notification;
    if (frame.type === 'message.created') {
      const { id, senderId, sentAt } = frame.message;
      for (const member of members) {
        const { steps } = counterWorkOf(member, member);
        const last = steps.at(-1);
        if (last && 'messages' in last) last.messages.push({ id, senderId, sentAt });
        else steps.push({ messages: [{ id, senderId, sentAt }] });
      }
      firstRequestId ??= requestId;
    }
    if (frame.type === 'message.read') {
      const unreadIds = change.newImage?.unreadIds;
      const counted = Array.isArray(unreadIds) ? unreadIds.filter((id) => typeof id === 'string') : [];
      const known = members.find((member) => member.userId === frame.userId) ?? {
        unreadIds: counted,
        readUpTo: frame.upToMessageId,
      };
      counterWorkOf(frame, known).steps.push({ readUpTo: frame.upToMessageId, counted });
      firstRequestId ??= requestId;
    }
  };

  return {
    /**
     * Delivers one change's frames and notes its counter work for `settle`; throws when a
     * delivery failed (the record is retried).
     */
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
      noteCounters(change, notification, members, context.requestId);
      return report;
    },

    /** Whether `handle` left counter work for `settle`. */
    hasCounterWork: (): boolean => counters.size > 0,

    /**
     * Keeps the counters of every change handled so far: members side by side, each member's
     * steps in order. Every write is safe to repeat; a failure throws (the batch's records that
     * noted counter work are retried).
     */
    settle: async (): Promise<void> => {
      const work = [...counters.values()];
      const actor = countersActor(firstRequestId ?? 'stream');
      counters.clear();
      firstRequestId = undefined;
      await forEachInFlight(work, COUNTER_WRITES_IN_FLIGHT, (memberCounters) =>
        keepMemberCounters(ports, memberCounters, actor),
      );
    },
  };
};
