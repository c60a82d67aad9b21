/** Conversations, messages, read receipts and attachments (API.md "Messaging"). */
import * as z from 'zod';
import '../zod-openapi.ts';
import { type ListFilters, ListQuerySchema, listOf } from './common.ts';

export const MESSAGE_BODY_MAX_CHARS = 10_000;
/**
 * A conversation's participants, the caller included. Its creation is one transaction of the
 * conversation and every membership, and a transaction holds at most 100 items: 99 is the most
 * that stays atomic (docs/decisions.md "100 users in one conversation").
 */
export const MAX_PARTICIPANTS = 99;
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENT_CONTENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
] as const;

export const UlidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a ULID');
const UserIdSchema = z.uuid().describe('Cognito sub');
/** Client-chosen, unique per sender and conversation: a retry with the same id is the same message. */
export const ClientMessageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, '1–64 letters, digits or . _ : -');
const BodySchema = z.string().min(1).max(MESSAGE_BODY_MAX_CHARS);

export const AttachmentRefSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    sha256: z
      .string()
      .optional()
      .describe(
        'SHA-256 (hex) of the bytes as sent: recorded when the message is sent; the object cannot change',
      ),
  })
  .openapi('AttachmentRef');

export const MessageSchema = z
  .object({
    id: z.string().describe('ULID: messages are ordered by it'),
    conversationId: z.string(),
    senderId: z.string(),
    body: z.string(),
    replyTo: z.string().optional(),
    clientMessageId: z.string().describe('The sender’s retry key (a server-made one when omitted)'),
    attachments: z.array(AttachmentRefSchema),
    sentAt: z.string(),
    readBy: z.record(z.string(), z.string()).describe('userId → when their read receipt reached it'),
  })
  .openapi('Message');

export const ParticipantSchema = z
  .object({
    id: z.string(),
    name: z
      .string()
      .optional()
      .describe(
        'The display name the user had when the conversation began (absent only on conversations older than the name)',
      ),
  })
  .openapi('Participant');

export const ConversationSchema = z
  .object({
    id: z.string(),
    subject: z.string().optional(),
    participantIds: z.array(z.string()),
    participants: z
      .array(ParticipantSchema)
      .describe(
        'The participants with the display names a list shows beside them, in `participantIds` order',
      ),
    contractId: z.string().optional(),
    lastMessageAt: z.string().describe('May trail a send by a moment'),
    unreadCount: z
      .number()
      .int()
      .describe('For the caller, at most 100 (more unread shows as 100); may trail a send by a moment'),
    createdAt: z.string(),
  })
  .openapi('Conversation');

export const ConversationListSchema = listOf(ConversationSchema).openapi('ConversationList');
export const MessageListSchema = listOf(MessageSchema).openapi('MessageList');

export const CreateConversationBodySchema = z
  .object({
    participantIds: z
      .array(UserIdSchema)
      .min(1)
      .max(MAX_PARTICIPANTS - 1),
    subject: z.string().trim().min(1).max(200).optional(),
    contractId: UlidSchema.optional(),
  })
  .strict()
  .openapi('CreateConversationRequest');

export const SendMessageBodySchema = z
  .object({
    body: BodySchema,
    replyTo: UlidSchema.optional(),
    attachmentIds: z.array(UlidSchema).max(MAX_ATTACHMENTS_PER_MESSAGE).optional(),
    clientMessageId: ClientMessageIdSchema.optional(),
  })
  .strict()
  .openapi('SendMessageRequest');

export const MarkReadBodySchema = z.object({ upToMessageId: UlidSchema }).strict().openapi('MarkReadRequest');

export const CreateAttachmentBodySchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    contentType: z.enum(ATTACHMENT_CONTENT_TYPES),
    size: z.number().int().min(1).max(ATTACHMENT_MAX_BYTES),
  })
  .strict()
  .openapi('CreateAttachmentRequest');

export const AttachmentUploadSchema = z
  .object({
    attachmentId: z.string(),
    uploadUrl: z.string(),
    uploadHeaders: z.record(z.string(), z.string()).describe('Send exactly these headers with the PUT'),
    expiresIn: z.number().int(),
  })
  .openapi('AttachmentUpload');

export const AttachmentDownloadSchema = z
  .object({ downloadUrl: z.string(), expiresIn: z.number().int() })
  .openapi('AttachmentDownload');

export const ConversationParamsSchema = z.object({ id: UlidSchema }).strict();
export const AttachmentParamsSchema = z.object({ id: UlidSchema, attachmentId: UlidSchema }).strict();

export const ListMessagesQuerySchema = ListQuerySchema.extend({
  before: UlidSchema.optional(),
  after: UlidSchema.optional(),
})
  .strict()
  .refine((query) => !(query.before && query.after), {
    message: 'Use before or after, not both',
    path: ['after'],
  });

/**
 * WebSocket client → server frames (the actions of `/asyncapi.json`): an HTTP body's fields plus the action
 * and the conversation, which the HTTP routes carry as the path's `id`.
 */
const conversationId = ConversationParamsSchema.shape.id;
const { body, replyTo } = SendMessageBodySchema.shape;

export const WsSendMessageFrameSchema = z
  .object({
    action: z.literal('sendMessage'),
    conversationId,
    body,
    // Required on a socket: the ack or error frame is matched to its send by this id alone.
    clientMessageId: ClientMessageIdSchema,
    replyTo,
  })
  .strict()
  .openapi('SendMessageAction', {
    description: 'Send a message; answered by `ack` or `error` with its clientMessageId',
  });
export const WsMarkReadFrameSchema = z
  .object({ action: z.literal('markRead'), conversationId, ...MarkReadBodySchema.shape })
  .strict()
  .openapi('MarkReadAction', {
    description: 'Mark the conversation read up to a message; `error` only when refused',
  });
export const WsPingFrameSchema = z
  .object({ action: z.literal('ping') })
  .strict()
  .openapi('PingAction', {
    description: 'Keep the connection alive (API Gateway closes it after 10 idle minutes)',
  });

export type SendMessageInput = z.output<typeof SendMessageBodySchema>;
export type Message = z.infer<typeof MessageSchema>;
export type Conversation = z.infer<typeof ConversationSchema>;
export type AttachmentRef = z.infer<typeof AttachmentRefSchema>;
export type AttachmentContentType = (typeof ATTACHMENT_CONTENT_TYPES)[number];
export type NewConversationInput = z.infer<typeof CreateConversationBodySchema>;
export type MessageListFilters = ListFilters<typeof ListMessagesQuerySchema>;
export type NewAttachmentInput = z.infer<typeof CreateAttachmentBodySchema>;
