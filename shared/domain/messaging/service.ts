/**
 * Messaging: conversations among participants, immutable messages ordered by ULID, read
 * receipts written only by their reader, and attachments through presigned URLs. The send path
 * is one GetItem (the caller's membership) and one conditional Put; counters and fan-out happen
 * in the notify stream consumer.
 */
import { ulid } from 'ulid';
import { type AccessEventRepository, accessEvent } from '../access-events.ts';
import { lastActorOf, newEntityMeta, type ServiceContext } from '../context.ts';
import { NotFound, RuleViolation } from '../errors.ts';
import { contentMismatch, HEAD_BYTES, nameMismatch } from '../file-types.ts';
import type { PageRequest } from '../page.ts';
import { authorize } from '../policy.ts';
import type {
  Conversation,
  Message,
  MessageListFilters,
  NewAttachmentInput,
  NewConversationInput,
  SendMessageInput,
} from '../schemas/messaging.ts';
import type {
  AttachmentStore,
  ContractParties,
  LiveMessages,
  MembershipRecord,
  MessagingRepository,
  ParticipantDirectory,
} from './ports.ts';
import {
  attachmentObjectKey,
  catchUpBoundary,
  type MemberAction,
  memberMay,
  sameMessage,
  toConversation,
  toMessage,
} from './rules.ts';

const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'text/plain': '.txt',
};

export interface MessagingServiceDeps {
  repository: MessagingRepository;
  directory: ParticipantDirectory;
  attachments: AttachmentStore;
  /** Delivers sent messages to live connections at once (the notify consumer leaves them out). */
  live: LiveMessages;
  /** Each attachment download is an access event on the conversation's chain. */
  accessEvents: AccessEventRepository;
  /** A conversation about a contract must name one that exists and involves its participants. */
  contracts: ContractParties;
  /** Mints ids; a ULID of the clock's time by default. */
  newId?: (now: Date) => string;
}

export type MessageListInput = MessageListFilters & PageRequest;

export const createMessagingService = (deps: MessagingServiceDeps) => {
  const { repository, directory, attachments, live, accessEvents, contracts } = deps;
  const newId = deps.newId ?? ((now: Date) => ulid(now.getTime()));

  /** The caller's membership; absent and not-a-participant look alike (404). */
  const membershipFor = async (context: ServiceContext, conversationId: string, action: MemberAction) =>
    memberMay(context, action, await repository.getMembership(conversationId, context.actor.userId));

  /** Each participant's roles and name, in the order given (the caller first). */
  const lookUpParticipants = async (ids: readonly string[]) => {
    const found = await Promise.all(ids.map((id) => directory.participantOf(id)));
    const unknown = ids.filter((_, index) => found[index] === undefined);
    if (unknown.length > 0) throw new RuleViolation('Some participants are not users', { unknown });
    return ids.map((id, index) => ({ id, roles: found[index]?.roles ?? [], name: found[index]?.name ?? '' }));
  };

  // A conversation about a contract must be one its staff member takes part in: otherwise the
  // link would point participants at a contract that is none of theirs.
  const checkContract = async (contractId: string | undefined, participantIds: readonly string[]) => {
    if (contractId === undefined) return;
    const staffUserId = await contracts.staffUserOfContract(contractId);
    if (staffUserId === undefined)
      throw new RuleViolation('No contract has this id', { contractId: 'no such contract' });
    if (!participantIds.includes(staffUserId))
      throw new RuleViolation("The contract's staff member is not a participant", {
        contractId: 'not a contract of the participants',
      });
  };

  return {
    createConversation: async (
      context: ServiceContext,
      input: NewConversationInput,
    ): Promise<Conversation> => {
      const me = context.actor.userId;
      const others = [...new Set(input.participantIds)].filter((id) => id !== me);
      if (others.length === 0) throw new RuleViolation('A conversation needs someone besides you');
      const participants = await lookUpParticipants([me, ...others]);
      authorize(context.actor, 'create', {
        type: 'Conversation',
        otherParticipantRoles: participants.slice(1).flatMap((participant) => participant.roles),
      });
      await checkContract(input.contractId, [me, ...others]);
      const meta = newEntityMeta(context);
      const conversation = {
        id: newId(context.now),
        ...(input.subject ? { subject: input.subject } : {}),
        participantIds: [me, ...others],
        participants: participants.map(({ id, name }) => ({ id, name })),
        ...(input.contractId ? { contractId: input.contractId } : {}),
        createdBy: me,
      };
      const members: MembershipRecord[] = conversation.participantIds.map((userId) => ({
        ...conversation,
        conversationId: conversation.id,
        userId,
        createdAt: meta.createdAt,
        lastMessageAt: meta.createdAt,
        unreadIds: [],
      }));
      await repository.createConversation({ ...conversation, ...meta }, members, meta.lastActor);
      return toConversation(members[0] as MembershipRecord);
    },

    listConversations: async (context: ServiceContext, input: PageRequest) => {
      authorize(context.actor, 'list', { type: 'Conversation' });
      const page = await repository.listMembershipsOfUser(context.actor.userId, input.limit, input.position);
      return { items: page.items.map(toConversation), next: page.next };
    },

    getConversation: async (context: ServiceContext, conversationId: string): Promise<Conversation> =>
      toConversation(await membershipFor(context, conversationId, 'read')),

    sendMessage: async (
      context: ServiceContext,
      conversationId: string,
      input: SendMessageInput,
    ): Promise<Message> => {
      const member = await membershipFor(context, conversationId, 'sendMessage');
      const attachmentIds = [...new Set(input.attachmentIds ?? [])];
      if (input.replyTo && !(await repository.findMessage(conversationId, input.replyTo))) {
        throw new RuleViolation('replyTo names no message of this conversation', { replyTo: input.replyTo });
      }
      const refs = await attachmentsOf(context, conversationId, attachmentIds);
      live.lookAhead?.(member.participantIds);
      const id = newId(context.now);
      const { message, created } = await repository.putMessage(
        {
          id,
          conversationId,
          senderId: context.actor.userId,
          clientMessageId: input.clientMessageId ?? id,
          body: input.body,
          ...(input.replyTo ? { replyTo: input.replyTo } : {}),
          attachments: refs,
          sentAt: context.now.toISOString(),
        },
        newEntityMeta(context),
      );
      if (!created && !sameMessage(message, { ...input, attachmentIds })) {
        throw new RuleViolation('This clientMessageId was already used for another message', {
          messageId: message.id,
        });
      }
      // A retried send delivers again: if the first attempt died before its fan-out, this is the
      // recipients' frame (clients dedupe by message id).
      await live.messageSent(message, member.participantIds, context.now);
      return toMessage(message, []);
    },

    listMessages: async (context: ServiceContext, conversationId: string, input: MessageListInput) => {
      await membershipFor(context, conversationId, 'read');
      const [page, members] = await Promise.all([
        repository.listMessages(conversationId, {
          newestFirst: input.after === undefined,
          ...(input.before ? { before: input.before } : {}),
          ...(input.after ? { after: catchUpBoundary(input.after) } : {}),
          limit: input.limit,
          ...(input.position ? { position: input.position } : {}),
        }),
        repository.listMembers(conversationId),
      ]);
      return { items: page.items.map((message) => toMessage(message, members)), next: page.next };
    },

    /** Moves the caller's receipt forward to a message of the conversation; never backwards. */
    markRead: async (context: ServiceContext, conversationId: string, upToMessageId: string) => {
      await membershipFor(context, conversationId, 'markRead');
      if (!(await repository.findMessage(conversationId, upToMessageId))) {
        throw new RuleViolation('upToMessageId names no message of this conversation');
      }
      await repository.markRead(
        conversationId,
        context.actor.userId,
        { upToMessageId, readAt: context.now.toISOString() },
        lastActorOf(context, 'read'),
      );
    },

    createAttachmentUpload: async (
      context: ServiceContext,
      conversationId: string,
      input: NewAttachmentInput,
    ) => {
      await membershipFor(context, conversationId, 'uploadAttachment');
      const mismatch = nameMismatch(input.name, input.contentType);
      if (mismatch !== undefined)
        throw new RuleViolation(`The name does not fit the type: ${mismatch}`, { name: mismatch });
      const attachmentId = newId(context.now);
      const objectKey = attachmentObjectKey(conversationId, attachmentId);
      await repository.putAttachment(
        {
          id: attachmentId,
          conversationId,
          uploaderId: context.actor.userId,
          name: input.name,
          contentType: input.contentType,
          size: input.size,
          objectKey,
          createdAt: context.now.toISOString(),
        },
        newEntityMeta(context),
      );
      const upload = await attachments.presignUpload(objectKey, input.contentType, input.size);
      return {
        attachmentId,
        uploadUrl: upload.url,
        uploadHeaders: upload.headers,
        expiresIn: upload.expiresIn,
      };
    },

    attachmentDownload: async (context: ServiceContext, conversationId: string, attachmentId: string) => {
      await membershipFor(context, conversationId, 'downloadAttachment');
      const [attachment] = await repository.getAttachments(conversationId, [attachmentId]);
      if (!attachment || !(await attachments.exists(attachment.objectKey))) {
        throw new NotFound('No such attachment (or it was never uploaded)');
      }
      await accessEvents.record(
        accessEvent(context, {
          id: newId(context.now),
          entityType: 'Conversation',
          entityId: conversationId,
          action: 'read.attachment',
          summary: `attachment ${attachmentId} of conversation ${conversationId} downloaded`,
        }),
      );
      // A generic file name: presigned URLs land in S3 access logs, and the uploaded name is PHI.
      const fileName = `attachment-${attachmentId}${EXTENSIONS[attachment.contentType] ?? ''}`;
      const download = await attachments.presignDownload(
        attachment.objectKey,
        fileName,
        attachment.contentType,
      );
      return { downloadUrl: download.url, expiresIn: download.expiresIn };
    },
  };

  /** The sender's own uploaded attachments of this conversation, in the order named. */
  async function attachmentsOf(context: ServiceContext, conversationId: string, ids: readonly string[]) {
    if (ids.length === 0) return [];
    const found = await repository.getAttachments(conversationId, ids);
    const byId = new Map(found.map((attachment) => [attachment.id, attachment]));
    const usable = ids.map((id) => byId.get(id)).filter((item) => item?.uploaderId === context.actor.userId);
    const rejected = usable.find((item) => item?.status === 'rejected');
    if (rejected) {
      throw new RuleViolation(
        `Attachment ${rejected.id} is not what its type says: ${rejected.rejectedReason}`,
        {
          [rejected.id]: rejected.rejectedReason ?? 'rejected',
        },
      );
    }
    // The bytes as sent: objects are created once and never overwritten, so this hash stays true.
    const prints = await Promise.all(
      usable.map((item) => item && attachments.fingerprint(item.objectKey, HEAD_BYTES)),
    );
    if (usable.length !== ids.length || prints.includes(undefined)) {
      throw new RuleViolation('Attach only files you uploaded to this conversation', { attachmentIds: ids });
    }
    return usable.flatMap((item, index) => {
      const print = prints[index];
      if (!item || !print) return [];
      const mismatch = contentMismatch(print.head, item.name, item.contentType);
      if (mismatch !== undefined) {
        throw new RuleViolation(`Attachment ${item.id} is not what its type says: ${mismatch}`, {
          [item.id]: mismatch,
        });
      }
      const { id, name, contentType, size } = item;
      return [{ id, name, contentType, size, sha256: print.sha256 }];
    });
  }
};

export type MessagingService = ReturnType<typeof createMessagingService>;
