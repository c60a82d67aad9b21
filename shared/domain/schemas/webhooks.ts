/**
 * Outbound webhooks (Standard Webhooks): endpoints, deliveries and the payload of each event
 * type. Payloads carry ids, states and dates only: never a date of birth, a message body or a
 * document's contents (docs/webhooks.md lists them).
 */
import * as z from 'zod';
import { listOf } from './common.ts';
import '../zod-openapi.ts';

export const WEBHOOK_EVENT_TYPES = [
  'contract.offered',
  'contract.acknowledged',
  'contract.activated',
  'contract.completed',
  'contract.terminated',
  'credential.verified',
  'credential.expiring',
  'credential.expired',
  'credential.revoked',
  'appointment.created',
  'appointment.cancelled',
  'staff.flagged',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

const UlidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a ULID');

export const ContractEventDataSchema = z
  .object({
    contractId: z.string(),
    staffId: z.string(),
    status: z.string(),
    previousStatus: z.string().nullable(),
    currentVersion: z.number().int(),
    startDate: z.string().optional(),
    endDate: z.string().optional(),
  })
  .openapi('ContractEventData');

export const CredentialEventDataSchema = z
  .object({
    credentialId: z.string(),
    staffId: z.string(),
    type: z.string().describe('Credential type code (RN, BLS…); never its number'),
    status: z.string(),
    previousStatus: z.string().nullable(),
    expiryDate: z.string().optional(),
    expiryWarning: z.number().int().nullable().describe('credential.expiring: the threshold in days'),
  })
  .openapi('CredentialEventData');

export const AppointmentEventDataSchema = z
  .object({
    appointmentId: z.string(),
    staffId: z.string(),
    contractId: z.string().optional(),
    status: z.string(),
    startAt: z.string(),
    endAt: z.string().optional(),
  })
  .openapi('AppointmentEventData');

export const StaffFlaggedEventDataSchema = z
  .object({
    flagId: z.string().describe('The verification record that raised the flag'),
    staffId: z.string(),
    source: z.string().describe('The exclusion source that answered (leie; sam when configured)'),
    result: z.enum(['match', 'suspected']),
    status: z.string().describe('The flag: open until credentialing resolves it'),
    raisedAt: z.string(),
  })
  .openapi('StaffFlaggedEventData');

export const WebhookPayloadSchema = z
  .object({
    type: WebhookEventTypeSchema,
    timestamp: z.string().describe('When the change happened (ISO 8601)'),
    data: z.union([
      ContractEventDataSchema,
      CredentialEventDataSchema,
      AppointmentEventDataSchema,
      StaffFlaggedEventDataSchema,
    ]),
  })
  .openapi('WebhookPayload');

export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;

const UrlSchema = z.string().trim().max(2000).url();

export const CreateWebhookEndpointBodySchema = z
  .object({
    url: UrlSchema.describe('https in AWS; http to localhost only in the twin'),
    eventTypes: z.array(WebhookEventTypeSchema).min(1).max(WEBHOOK_EVENT_TYPES.length),
    description: z.string().trim().max(500).optional(),
  })
  .strict()
  .openapi('CreateWebhookEndpointRequest');

export const UpdateWebhookEndpointBodySchema = z
  .object({
    url: UrlSchema.optional(),
    eventTypes: z.array(WebhookEventTypeSchema).min(1).max(WEBHOOK_EVENT_TYPES.length).optional(),
    description: z.string().trim().max(500).optional(),
    enabled: z.boolean().optional().describe('false disables the endpoint: nothing is sent to it'),
  })
  .strict()
  .openapi('UpdateWebhookEndpointRequest');

export const WebhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(WebhookEventTypeSchema),
    description: z.string().optional(),
    enabled: z.boolean(),
    disabledReason: z.string().optional().describe('Set when the service disabled it (failing for 5 days)'),
    secretRotatedAt: z.string().optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookEndpoint');

export const CreatedWebhookEndpointSchema = WebhookEndpointSchema.extend({
  secret: z.string().describe('whsec_ + base64: shown this once'),
}).openapi('CreatedWebhookEndpoint');

export const WebhookEndpointListSchema = listOf(WebhookEndpointSchema).openapi('WebhookEndpointList');

export const WebhookSecretSchema = z
  .object({ secret: z.string().describe('The new secret; the old one still signs for 24 h') })
  .openapi('WebhookSecret');

export const WEBHOOK_DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;

export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    eventType: WebhookEventTypeSchema,
    webhookId: z.string().describe('The `webhook-id` header: the same on every retry and replay'),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable().describe('HTTP status of the last attempt; null: no answer'),
    lastLatencyMs: z.number().int().nullable(),
    nextAttemptAt: z.string().optional(),
    state: z.enum(WEBHOOK_DELIVERY_STATES),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookDelivery');

export const WebhookDeliveryListSchema = listOf(WebhookDeliverySchema).openapi('WebhookDeliveryList');

export const WebhookEndpointParamsSchema = z.object({ id: UlidSchema }).strict();
export const WebhookDeliveryParamsSchema = z.object({ id: z.string().min(1).max(64) }).strict();

export type CreateWebhookEndpointBody = z.infer<typeof CreateWebhookEndpointBodySchema>;
export type UpdateWebhookEndpointBody = z.infer<typeof UpdateWebhookEndpointBodySchema>;
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
