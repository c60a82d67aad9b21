/**
 * What the messaging service needs from storage, the user directory and the object store.
 * Implemented in shared/data (DynamoDB, Cognito, S3); in-memory fakes in the unit tests.
 */
import type { EntityMeta, LastActor } from '../context.ts';
import type { ListPosition, Page } from '../page.ts';
import type { Role } from '../roles.ts';
import type { AttachmentRef } from '../schemas/messaging.ts';

export type { ListPosition, Page } from '../page.ts';

/** A participant as lists show them: the id and the display name it had when the conversation began. */
export interface Participant {
  id: string;
  name: string;
}

export interface ConversationRecord {
  id: string;
  subject?: string;
  participantIds: string[];
  /**
   * Display names beside the ids, stored so a list stays one Query. Absent on items written
   * before 2026-12 until scripts/migrations/conversation-participant-names.ts ran. An array
   * of `{ id, name }` rather than an id → name map: `name` is a PHI key, so the audit ledger
   * and the logs redact it wherever it sits.
   */
  participants?: Participant[];
  contractId?: string;
  createdBy: string;
}

/**
 * One per participant. Conversation fields are copied in (they never change), so a user's list
 * is one Query. `unreadIds` holds the ids of others' messages the notify consumer counted; the
 * unread count is how many of them are past `readUpTo` (see rules.ts).
 */
export interface MembershipRecord extends ConversationRecord {
  conversationId: string;
  userId: string;
  createdAt: string;
  lastMessageAt: string;
  readUpTo?: string;
  readAt?: string;
  unreadIds: string[];
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  senderId: string;
  clientMessageId: string;
  body: string;
  replyTo?: string;
  attachments: AttachmentRef[];
  sentAt: string;
}

export interface AttachmentRecord extends AttachmentRef {
  conversationId: string;
  uploaderId: string;
  objectKey: string;
  createdAt: string;
  /** Set when the landed bytes did not fit the declared type (the object is deleted). */
  status?: 'rejected';
  rejectedReason?: string;
}

export interface MessageQuery {
  newestFirst: boolean;
  /** Exclusive bounds on the message id. */
  before?: string;
  after?: string;
  limit: number;
  position?: ListPosition;
}

export interface MessagingRepository {
  /** The conversation and every membership, all or nothing. */
  createConversation(
    conversation: ConversationRecord & EntityMeta,
    members: readonly MembershipRecord[],
    lastActor: LastActor,
  ): Promise<void>;
  getMembership(conversationId: string, userId: string): Promise<MembershipRecord | undefined>;
  listMembers(conversationId: string, options?: { consistent?: boolean }): Promise<MembershipRecord[]>;
  listMembershipsOfUser(
    userId: string,
    limit: number,
    position?: ListPosition,
  ): Promise<Page<MembershipRecord>>;
  /** Creates the message unless this sender already sent one with its clientMessageId: then that one. */
  putMessage(message: MessageRecord, meta: EntityMeta): Promise<{ message: MessageRecord; created: boolean }>;
  findMessage(conversationId: string, messageId: string): Promise<MessageRecord | undefined>;
  listMessages(conversationId: string, query: MessageQuery): Promise<Page<MessageRecord>>;
  /** Moves the reader's receipt forward; false when it already is at or past `upToMessageId`. */
  markRead(
    conversationId: string,
    userId: string,
    receipt: { upToMessageId: string; readAt: string },
    lastActor: LastActor,
  ): Promise<boolean>;
  putAttachment(attachment: AttachmentRecord, meta: EntityMeta): Promise<void>;
  getAttachments(conversationId: string, attachmentIds: readonly string[]): Promise<AttachmentRecord[]>;
}

export interface ParticipantDirectory {
  /** The user's roles and display name, or undefined when there is no such user. */
  participantOf(userId: string): Promise<{ roles: Role[]; name: string } | undefined>;
}

/** What a conversation needs to know of the contract it names. */
export interface ContractParties {
  /** The user id of the contract's staff member, or undefined when there is no such contract. */
  staffUserOfContract(contractId: string): Promise<string | undefined>;
}

export interface PresignedUpload {
  url: string;
  headers: Record<string, string>;
  expiresIn: number;
}

/**
 * Live delivery of a sent message to the participants' open connections, right after the write
 * (not from the stream). It never fails the send: the message is stored, and a recipient who
 * missed the frame catches up with `?after=`.
 */
export interface LiveMessages {
  messageSent(message: MessageRecord, participantIds: readonly string[], now: Date): Promise<void>;
  /**
   * Called before the write with the same `participantIds` array: the adapter may start looking
   * up their connections, so the lookup overlaps the write instead of following it.
   */
  lookAhead?(participantIds: readonly string[]): void;
}

export interface AttachmentStore {
  presignUpload(objectKey: string, contentType: string, size: number): Promise<PresignedUpload>;
  presignDownload(
    objectKey: string,
    fileName: string,
    contentType: string,
  ): Promise<{ url: string; expiresIn: number }>;
  exists(objectKey: string): Promise<boolean>;
  /** SHA-256 (hex) of the object's bytes and its first bytes; undefined when it is not there. */
  fingerprint(
    objectKey: string,
    headBytes: number,
  ): Promise<{ sha256: string; head: Uint8Array } | undefined>;
}
