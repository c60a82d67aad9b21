import * as z from 'zod';
import { SYNC_ENTITY_TYPES } from '../sync/ports.ts';
import '../zod-openapi.ts';
import { AppointmentSchema } from './appointments.ts';
import { ContractSchema } from './contracts.ts';
import { CredentialSchema } from './credentials.ts';
import { ConversationSchema, MessageSchema } from './messaging.ts';
import { StaffProfileSchema } from './staff.ts';

export const SyncQuerySchema = z
  .object({
    since: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .describe(
        'The `nextCursor` of the previous page; omitted: a full snapshot, paged, then the changes since it began',
      ),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

export const SyncEntityTypeSchema = z.enum(SYNC_ENTITY_TYPES);

export const SyncChangeSchema = z
  .object({
    entityType: SyncEntityTypeSchema,
    id: z.string(),
    op: z
      .enum(['upsert', 'delete'])
      .describe(
        'delete: the item is gone, or the caller may no longer see it (drop it from the local store)',
      ),
    version: z
      .number()
      .int()
      .describe('The item version this change brings (apply an upsert only when newer)'),
    at: z.string().describe('When the item changed (ISO 8601)'),
    data: z
      .union([
        StaffProfileSchema,
        CredentialSchema,
        ContractSchema,
        AppointmentSchema,
        ConversationSchema,
        MessageSchema,
      ])
      .optional()
      .describe('For upserts: the item exactly as its REST route shows it to the caller, as it is now'),
  })
  .openapi('SyncChange');

export const SyncPageSchema = z
  .object({
    changes: z.array(SyncChangeSchema),
    nextCursor: z.string().describe('Pass as `since` next time; it is bound to the caller'),
    hasMore: z.boolean().describe('More changes are ready now: ask again at once with nextCursor'),
  })
  .openapi('SyncPage', {
    description: [
      "The caller's profile, credentials, contracts, appointments, conversations and messages (and, for",
      'agency roles, what their role lets them list) changed since `since`, oldest first. A change is',
      'not an item, so this is not the `{ items }` list shape. An upsert carries the item as its REST',
      'route shows it to the caller now; a delete (tombstone) means the item is gone or the caller may',
      'no longer see it. Without `since`: a full snapshot of what',
      'the caller may see, paged, whose last cursor continues from the change-log position taken when',
      "it began. The cursor is bound to the caller (400 otherwise); one older than the change log's",
      '30 days answers 410: sync again without `since`. After a role change the same cursor goes on:',
      "its next pages bring first a tombstone for each item of a lost role's view the caller may no",
      "longer read and each item of a gained role's view, then the changes since the cursor, oldest",
      'first (a page may hold no change while hasMore is true). Changes younger than a second wait',
      'for the next call.',
    ].join(' '),
  });
