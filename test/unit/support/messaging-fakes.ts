/** In-memory fakes of the messaging ports, behaving as the DynamoDB/S3/Cognito adapters do. */
import type {
  AttachmentRecord,
  AttachmentStore,
  MembershipRecord,
  MessageRecord,
  MessagingRepository,
  ParticipantDirectory,
} from '#domain/messaging/ports.ts';
import type { Role } from '#domain/roles.ts';

export const createFakeMessagingStore = () => {
  const members = new Map<string, MembershipRecord>();
  const messages = new Map<string, MessageRecord>();
  const attachments = new Map<string, AttachmentRecord>();
  const memberKey = (conversationId: string, userId: string) => `${conversationId}|${userId}`;

  const repository: MessagingRepository = {
    createConversation: async (_conversation, newMembers) => {
      for (const member of newMembers)
        members.set(memberKey(member.conversationId, member.userId), { ...member });
    },
    getMembership: async (conversationId, userId) => members.get(memberKey(conversationId, userId)),
    listMembers: async (conversationId) =>
      [...members.values()].filter((member) => member.conversationId === conversationId),
    listMembershipsOfUser: async (userId, limit) => ({
      items: [...members.values()]
        .filter((member) => member.userId === userId)
        .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt))
        .slice(0, limit),
    }),
    putMessage: async (message) => {
      const key = `${message.conversationId}|${message.senderId}|${message.clientMessageId}`;
      const stored = messages.get(key);
      if (stored) return { message: stored, created: false };
      messages.set(key, message);
      return { message, created: true };
    },
    findMessage: async (conversationId, messageId) =>
      [...messages.values()].find((m) => m.conversationId === conversationId && m.id === messageId),
    listMessages: async (conversationId, query) => {
      const all = [...messages.values()]
        .filter((m) => m.conversationId === conversationId)
        .filter(
          (m) => (query.before ? m.id < query.before : true) && (query.after ? m.id > query.after : true),
        )
        .sort((a, b) => (query.newestFirst ? b.id.localeCompare(a.id) : a.id.localeCompare(b.id)));
      return { items: all.slice(0, query.limit) };
    },
    markRead: async (conversationId, userId, receipt) => {
      const member = members.get(memberKey(conversationId, userId));
      if (!member || (member.readUpTo !== undefined && member.readUpTo >= receipt.upToMessageId))
        return false;
      member.readUpTo = receipt.upToMessageId;
      member.readAt = receipt.readAt;
      return true;
    },
    putAttachment: async (attachment) => {
      attachments.set(attachment.id, attachment);
    },
    getAttachments: async (conversationId, ids) =>
      ids.flatMap((id) => {
        const found = attachments.get(id);
        return found && found.conversationId === conversationId ? [found] : [];
      }),
  };
  return { repository, members, messages, attachments };
};

/** The display name the fake directory gives a user. */
export const nameOf = (userId: string) => `Name of ${userId}`;

export const fakeDirectory = (users: Record<string, Role[]>): ParticipantDirectory => ({
  participantOf: async (userId) => {
    const roles = users[userId];
    return roles && { roles, name: nameOf(userId) };
  },
});

export const fakeAttachmentStore = (
  uploaded = new Set<string>(),
): AttachmentStore & { uploaded: Set<string> } => ({
  uploaded,
  presignUpload: async (objectKey, contentType) => ({
    url: `https://s3.example/${objectKey}?signed`,
    headers: { 'content-type': contentType },
    expiresIn: 900,
  }),
  presignDownload: async (objectKey) => ({ url: `https://s3.example/${objectKey}?get`, expiresIn: 300 }),
  exists: async (objectKey) => uploaded.has(objectKey),
  fingerprint: async (objectKey) =>
    uploaded.has(objectKey) ? { sha256: `sha256-${objectKey}`, head: Buffer.from('%PDF-1.7') } : undefined,
});
