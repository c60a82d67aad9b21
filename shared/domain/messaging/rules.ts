/** Pure messaging rules: unread counts, read receipts, the catch-up overlap, attachment keys. */
import { decodeTime, encodeTime } from 'ulid';
import type { ServiceContext } from '../context.ts';
import { NotFound } from '../errors.ts';
import { authorize } from '../policy.ts';
import type { Conversation, Message } from '../schemas/messaging.ts';
import type { MembershipRecord, MessageRecord } from './ports.ts';

/**
 * `?after=` starts this long before the named message: a message whose id was minted earlier but
 * committed later than it (concurrent senders) is still returned. Clients dedupe on id.
 */
export const CATCH_UP_OVERLAP_MS = 5_000;

/**
 * Unread ids kept per membership; the count shows at most this many ("100+" is the display's to
 * say). Every counter write rewrites the whole membership item and streams it twice (old and new
 * image): at 1,000 ids that was ~26 KB — 26 write units per update in AWS — for every message to a
 * member who does not read (docs/decisions.md, "Unread counts capped at 100").
 */
export const MAX_TRACKED_UNREAD = 100;

/** The smallest id minted `CATCH_UP_OVERLAP_MS` before `messageId`: the exclusive lower bound of a catch-up. */
export const catchUpBoundary = (messageId: string): string => {
  const time = Math.max(0, decodeTime(messageId) - CATCH_UP_OVERLAP_MS);
  return `${encodeTime(time, 10)}${'0'.repeat(16)}`;
};

/** The messages counted for a member that their receipt has not reached. */
export const unreadCountOf = (member: Pick<MembershipRecord, 'unreadIds' | 'readUpTo'>): number =>
  // A set filled under the earlier cap of 1,000 is shown within this one until receipts drain it.
  Math.min(
    MAX_TRACKED_UNREAD,
    member.unreadIds.filter((id) => member.readUpTo === undefined || id > member.readUpTo).length,
  );

/** What a membership's counters hold, as far as counting messages is concerned. */
export type CounterState = Pick<MembershipRecord, 'unreadIds' | 'readUpTo'> & { lastMessageAt?: string };

/** The write that counts a run of messages for one member: activity moved, ids added. */
export interface CounterPlan {
  /** The member's activity moves to this time (the run's latest message), when it is later. */
  activityAt?: string;
  /** Ids to add to the unread set: the member's unread messages that fit under the cap, oldest first. */
  countIds: string[];
}

/**
 * Counts a run of messages (one stream batch's, in one conversation) for one member in one write:
 * their own messages move only their activity; the others are counted while not read past, not
 * counted yet and under the cap — as counting them one at a time would.
 */
export const planCounters = (
  state: CounterState,
  userId: string,
  messages: readonly Pick<MessageRecord, 'id' | 'senderId' | 'sentAt'>[],
): CounterPlan => {
  const latest = messages.reduce<string | undefined>(
    (max, message) => (max === undefined || message.sentAt > max ? message.sentAt : max),
    undefined,
  );
  const room = Math.max(0, MAX_TRACKED_UNREAD - state.unreadIds.length);
  const counted = new Set(state.unreadIds);
  const countIds = [
    ...new Set(
      messages
        .filter((message) => message.senderId !== userId)
        .map((message) => message.id)
        .filter((id) => (state.readUpTo === undefined || id > state.readUpTo) && !counted.has(id)),
    ),
  ]
    .sort()
    .slice(0, room);
  const moves = latest !== undefined && (state.lastMessageAt === undefined || state.lastMessageAt < latest);
  return { ...(moves ? { activityAt: latest } : {}), countIds };
};

/** Counted ids a receipt now covers: the notify consumer drops them. */
export const idsCoveredBy = (unreadIds: readonly string[], readUpTo: string): string[] =>
  unreadIds.filter((id) => id <= readUpTo);

/** Participants other than the sender whose receipt reaches the message, with when it was set. */
export const readByOf = (
  message: Pick<MessageRecord, 'id' | 'senderId'>,
  members: readonly Pick<MembershipRecord, 'userId' | 'readUpTo' | 'readAt'>[],
): Record<string, string> =>
  Object.fromEntries(
    members
      .filter((member) => member.userId !== message.senderId && member.readUpTo && member.readAt)
      .filter((member) => (member.readUpTo ?? '') >= message.id)
      .map((member) => [member.userId, member.readAt ?? '']),
  );

export const toMessage = (
  record: MessageRecord,
  members: readonly Pick<MembershipRecord, 'userId' | 'readUpTo' | 'readAt'>[],
): Message => ({
  id: record.id,
  conversationId: record.conversationId,
  senderId: record.senderId,
  body: record.body,
  ...(record.replyTo ? { replyTo: record.replyTo } : {}),
  clientMessageId: record.clientMessageId,
  attachments: record.attachments,
  sentAt: record.sentAt,
  readBy: readByOf(record, members),
});

export const toConversation = (member: MembershipRecord): Conversation => ({
  id: member.conversationId,
  ...(member.subject ? { subject: member.subject } : {}),
  participantIds: member.participantIds,
  participants: member.participants ?? member.participantIds.map((id) => ({ id })),
  ...(member.contractId ? { contractId: member.contractId } : {}),
  lastMessageAt: member.lastMessageAt,
  unreadCount: unreadCountOf(member),
  createdAt: member.createdAt,
});

/** Where an attachment's bytes live in the documents bucket. */
export const attachmentObjectKey = (conversationId: string, attachmentId: string): string =>
  `conversations/${conversationId}/attachments/${attachmentId}`;

/** Same message, or another one under a reused clientMessageId? */
export const sameMessage = (
  stored: MessageRecord,
  retry: { body: string; replyTo?: string; attachmentIds: readonly string[] },
): boolean =>
  stored.body === retry.body &&
  stored.replyTo === retry.replyTo &&
  stored.attachments.map((attachment) => attachment.id).join() === retry.attachmentIds.join();

export type MemberAction = 'read' | 'sendMessage' | 'markRead' | 'uploadAttachment' | 'downloadAttachment';

/** The caller's membership if the policy lets them `action`; absent and not-a-participant look alike (404). */
export const memberMay = (
  context: ServiceContext,
  action: MemberAction,
  member: MembershipRecord | undefined,
): MembershipRecord => {
  authorize(context.actor, action, { type: 'Conversation', participantIds: member?.participantIds ?? [] });
  if (!member) throw new NotFound('No such conversation');
  return member;
};
