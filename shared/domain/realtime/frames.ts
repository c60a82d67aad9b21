/**
 * Real-time frames (declared in schemas/realtime.ts) from Main table changes, item images alone: which frame
 * a change makes and who its audience is. The notify consumer resolves the audience to live
 * connections and re-checks, per connection, that its user may see the item.
 */

import * as z from 'zod';
import type { MessageRecord } from '../messaging/ports.ts';
import { toMessage } from '../messaging/rules.ts';
import type { ServerFrame } from '../schemas/realtime.ts';
import '../zod-openapi.ts';

export type { ServerFrame };

export type Image = Record<string, unknown>;

export interface ItemChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  newImage?: Image;
  oldImage?: Image;
}

export type OwnedResource = 'Contract' | 'Credential' | 'Appointment' | 'CredentialingFlag';

/**
 * Every participant of a conversation, or the one user an item belongs to — and with `desk`,
 * every credentialing and admin user too (whoever the policy lets read the item).
 */
export type Audience =
  | { conversationId: string }
  | { ownerUserId: string; resource: OwnedResource; desk?: true }
  // Items no user owns, heard by the desk's users the policy lets read them (webhooks: admins).
  | { resource: 'Webhook'; desk: true };

export interface Notification {
  frame: ServerFrame;
  audience: Audience;
}

/**
 * Frames the write path delivers itself, right after its conditional write (a sent message:
 * docs/decisions.md "Real time off the stream"), so the notify consumer leaves them out.
 */
export const INLINE_FRAMES: ReadonlySet<ServerFrame['type']> = new Set(['message.created']);

/** A message's frame and audience: the send path delivers it inline, from the record it wrote. */
export const messageCreatedNotification = (message: MessageRecord): Notification => ({
  frame: { type: 'message.created', conversationId: message.conversationId, message: toMessage(message, []) },
  audience: { conversationId: message.conversationId },
});

/** The action stamped on the notify consumer's own counter writes: they make no frame. */
export const COUNTERS_ACTION = 'counters';

const MessageImage = z.object({
  id: z.string(),
  conversationId: z.string(),
  senderId: z.string(),
  clientMessageId: z.string(),
  body: z.string(),
  replyTo: z.string().optional(),
  attachments: z
    .array(z.object({ id: z.string(), name: z.string(), contentType: z.string(), size: z.number() }))
    .default([]),
  sentAt: z.string(),
});

const MemberImage = z.object({
  conversationId: z.string(),
  userId: z.string(),
  readUpTo: z.string().optional(),
  readAt: z.string().optional(),
  lastActor: z.object({ action: z.string() }).optional(),
});

const ContractImage = z.object({
  id: z.string(),
  ownerUserId: z.string(),
  status: z.string(),
  currentVersion: z.number(),
});
const CredentialImage = z.object({
  id: z.string(),
  ownerUserId: z.string(),
  staffId: z.string(),
  status: z.string(),
  expiryWarning: z.number().nullable().optional(),
});
const AppointmentImage = z.object({
  id: z.string(),
  ownerUserId: z.string(),
  staffId: z.string(),
  status: z.string(),
  startAt: z.string(),
});

const FlagImage = z.object({
  id: z.string(),
  ownerUserId: z.string(),
  staffId: z.string(),
  source: z.string(),
  result: z.enum(['match', 'suspected']),
  raisedAt: z.string(),
});

/**
 * A new monitoring flag's frame, to the credentialing desk and the staff member. Exported for
 * other consumers of the same change (webhooks' `staff.flagged` event).
 */
export const staffFlaggedNotification = (flag: z.infer<typeof FlagImage>): Notification => ({
  frame: {
    type: 'staff.flagged',
    staffId: flag.staffId,
    flagId: flag.id,
    source: flag.source,
    result: flag.result,
    raisedAt: flag.raisedAt,
  },
  audience: { ownerUserId: flag.ownerUserId, resource: 'CredentialingFlag', desk: true },
});

type Mapper = (change: ItemChange) => Notification | undefined;

const DisabledEndpointImage = z.object({
  id: z.string(),
  url: z.string(),
  enabled: z.literal(false),
  disabledReason: z.string(),
  failingSince: z.string().optional(),
  updatedAt: z.string(),
});

const parsed = <T extends z.ZodType>(schema: T, image: Image | undefined): z.infer<T> | undefined => {
  const result = image === undefined ? undefined : schema.safeParse(image);
  return result?.success ? result.data : undefined;
};

/**
 * An owned item's frame, sent when what the frame says changed (a new item always): an edit
 * that leaves status and the other frame fields alone tells the owner nothing new.
 */
const ownedFrame =
  <T extends z.ZodType<{ ownerUserId: string }>>(
    resource: OwnedResource,
    schema: T,
    frameOf: (item: z.infer<T>) => ServerFrame,
  ): Mapper =>
  (change) => {
    const item = parsed(schema, change.newImage);
    if (!item) return undefined;
    const frame = frameOf(item);
    const old = parsed(schema, change.oldImage);
    if (old && JSON.stringify(frameOf(old)) === JSON.stringify(frame)) return undefined;
    return { frame, audience: { ownerUserId: item.ownerUserId, resource } };
  };

/** Frame mappers by item kind; the consumer's event-source filter lists exactly these kinds. */
export const FRAME_MAPPERS: Readonly<Record<string, Mapper>> = {
  Message: (change) => {
    if (change.eventName !== 'INSERT') return undefined;
    const message = parsed(MessageImage, change.newImage) as MessageRecord | undefined;
    return message && messageCreatedNotification(message);
  },
  ConversationMember: (change) => {
    const member = parsed(MemberImage, change.newImage);
    const before = parsed(MemberImage, change.oldImage);
    if (!member?.readUpTo || !member.readAt || member.lastActor?.action === COUNTERS_ACTION) return undefined;
    if (before?.readUpTo !== undefined && before.readUpTo >= member.readUpTo) return undefined;
    return {
      frame: {
        type: 'message.read',
        conversationId: member.conversationId,
        userId: member.userId,
        upToMessageId: member.readUpTo,
        readAt: member.readAt,
      },
      audience: { conversationId: member.conversationId },
    };
  },
  Contract: ownedFrame('Contract', ContractImage, (contract) => ({
    type: 'contract.updated',
    contractId: contract.id,
    status: contract.status,
    currentVersion: contract.currentVersion,
  })),
  Credential: ownedFrame('Credential', CredentialImage, (credential) => ({
    type: 'credential.updated',
    credentialId: credential.id,
    staffId: credential.staffId,
    status: credential.status,
    expiryWarning: credential.expiryWarning ?? null,
  })),
  Appointment: ownedFrame('Appointment', AppointmentImage, (appointment) => ({
    type: 'appointment.updated',
    appointmentId: appointment.id,
    staffId: appointment.staffId,
    status: appointment.status,
    startAt: appointment.startAt,
  })),
  // Raised once (its resolution is an update of the item, not a new flag).
  CredentialingFlag: (change) => {
    if (change.eventName !== 'INSERT') return undefined;
    const flag = parsed(FlagImage, change.newImage);
    return flag && staffFlaggedNotification(flag);
  },
  // The delivery function disabling an endpoint (5 days failing): admins hear of it in the app
  // as well as on the operators' alarm. An admin's own PATCH sets no disabledReason.
  WebhookEndpoint: (change) => {
    const endpoint = parsed(DisabledEndpointImage, change.newImage);
    if (!endpoint || change.oldImage?.enabled !== true) return undefined;
    return {
      frame: {
        type: 'webhook.endpoint.disabled',
        endpointId: endpoint.id,
        url: endpoint.url,
        disabledReason: endpoint.disabledReason,
        ...(endpoint.failingSince ? { failingSince: endpoint.failingSince } : {}),
        disabledAt: endpoint.updatedAt,
      },
      audience: { resource: 'Webhook', desk: true },
    };
  },
};

/** The kinds whose changes can make a frame: the notify consumer's stream filter (shared/functions.ts). */
export const NOTIFY_KINDS: readonly string[] = Object.keys(FRAME_MAPPERS);

export const notificationOf = (change: ItemChange): Notification | undefined => {
  const kind = change.newImage?.kind;
  const mapper = typeof kind === 'string' ? FRAME_MAPPERS[kind] : undefined;
  return mapper?.(change);
};
