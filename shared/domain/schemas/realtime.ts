/**
 * Server → client WebSocket frames, declared once: the notify consumer and `$default` send
 * values of these types, and the AsyncAPI document (`/asyncapi.json`) describes them from these
 * schemas. Statuses are strings here because a frame carries what the item holds.
 */
import * as z from 'zod';
import '../zod-openapi.ts';
import { ProblemSchema } from './common.ts';
import { MessageSchema } from './messaging.ts';

export const AckFrameSchema = z
  .object({
    type: z.literal('ack'),
    clientMessageId: z.string().describe('The `clientMessageId` of the `sendMessage` it answers'),
    messageId: z.string().describe('The stored message id (a ULID)'),
  })
  .openapi('AckFrame', { description: 'A `sendMessage` was stored (or had been: a resend is acked again)' });

export const ErrorFrameSchema = z
  .object({
    type: z.literal('error'),
    clientMessageId: z.string().optional().describe('Present when the refused frame carried one'),
    problem: ProblemSchema,
  })
  .openapi('ErrorFrame', {
    description: 'A client frame was refused; the problem is what HTTP would answer',
  });

export const PongFrameSchema = z
  .object({ type: z.literal('pong') })
  .openapi('PongFrame', { description: 'The answer to `ping`' });

export const SessionRevokedFrameSchema = z
  .object({ type: z.literal('session.revoked'), reason: z.string() })
  .openapi('SessionRevokedFrame', {
    description:
      'Your session ended (logout, disable, role or password change): the connection closes next; log in again',
  });

export const MessageCreatedFrameSchema = z
  .object({ type: z.literal('message.created'), conversationId: z.string(), message: MessageSchema })
  .openapi('MessageCreatedFrame', {
    description: 'A message in one of your conversations (your own included, for your other tabs)',
  });

export const MessageReadFrameSchema = z
  .object({
    type: z.literal('message.read'),
    conversationId: z.string(),
    userId: z.string().describe('Who read'),
    upToMessageId: z.string().describe('They read every message up to this one'),
    readAt: z.string(),
  })
  .openapi('MessageReadFrame', { description: 'A participant read a conversation up to a message' });

export const ContractUpdatedFrameSchema = z
  .object({
    type: z.literal('contract.updated'),
    contractId: z.string(),
    status: z.string().describe('The contract status (draft, offered, acknowledged, …)'),
    currentVersion: z.number().int().describe('The content version the contract now holds'),
  })
  .openapi('ContractUpdatedFrame', { description: 'Your contract changed status or content version' });

export const CredentialUpdatedFrameSchema = z
  .object({
    type: z.literal('credential.updated'),
    credentialId: z.string(),
    staffId: z.string(),
    status: z.string().describe('The credential status (pending, active, rejected, expired, revoked)'),
    expiryWarning: z
      .number()
      .int()
      .nullable()
      .describe('Days left at the last expiry warning (90, 60, 30, 14, 7, 0)'),
  })
  .openapi('CredentialUpdatedFrame', {
    description: 'Your credential changed status or got an expiry warning',
  });

export const AppointmentUpdatedFrameSchema = z
  .object({
    type: z.literal('appointment.updated'),
    appointmentId: z.string(),
    staffId: z.string(),
    status: z.string().describe('The appointment status (scheduled, confirmed, …)'),
    startAt: z.string(),
  })
  .openapi('AppointmentUpdatedFrame', { description: 'Your appointment was created or changed status' });

export const StaffFlaggedFrameSchema = z
  .object({
    type: z.literal('staff.flagged'),
    staffId: z.string(),
    flagId: z.string().describe('The verification record that raised the flag (resolve the flag by it)'),
    source: z.string().describe('The exclusion source that answered (leie; sam when configured)'),
    result: z.enum(['match', 'suspected']),
    raisedAt: z.string(),
  })
  .openapi('StaffFlaggedFrame', {
    description:
      'Exclusion monitoring flagged a staff member: to credentialing and admin users, and to the staff member',
  });

export const WebhookEndpointDisabledFrameSchema = z
  .object({
    type: z.literal('webhook.endpoint.disabled'),
    endpointId: z.string(),
    url: z.string(),
    disabledReason: z.string(),
    failingSince: z.string().optional().describe('When its attempts began to fail'),
    disabledAt: z.string(),
  })
  .openapi('WebhookEndpointDisabledFrame', {
    description:
      'The service disabled a webhook endpoint whose every attempt failed for 5 days: to admin users. Re-enable it with PATCH /webhooks/endpoints/{id} once its receiver is fixed',
  });

/** Every frame the service sends, by `type`. */
export const SERVER_FRAME_SCHEMAS = {
  ack: AckFrameSchema,
  error: ErrorFrameSchema,
  pong: PongFrameSchema,
  'session.revoked': SessionRevokedFrameSchema,
  'message.created': MessageCreatedFrameSchema,
  'message.read': MessageReadFrameSchema,
  'contract.updated': ContractUpdatedFrameSchema,
  'credential.updated': CredentialUpdatedFrameSchema,
  'appointment.updated': AppointmentUpdatedFrameSchema,
  'staff.flagged': StaffFlaggedFrameSchema,
  'webhook.endpoint.disabled': WebhookEndpointDisabledFrameSchema,
} as const;

export const ServerFrameSchema = z.discriminatedUnion('type', [
  AckFrameSchema,
  ErrorFrameSchema,
  PongFrameSchema,
  SessionRevokedFrameSchema,
  MessageCreatedFrameSchema,
  MessageReadFrameSchema,
  ContractUpdatedFrameSchema,
  CredentialUpdatedFrameSchema,
  AppointmentUpdatedFrameSchema,
  StaffFlaggedFrameSchema,
  WebhookEndpointDisabledFrameSchema,
]);

export type ServerFrame = z.infer<typeof ServerFrameSchema>;
