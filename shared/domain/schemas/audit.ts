import * as z from 'zod';
import { AUDIT_ENTITY_TYPES } from '../audit/item-changes.ts';
import '../zod-openapi.ts';
import { type ListFilters, ListQuerySchema, listOf } from './common.ts';

const EntityTypeSchema = z.enum(AUDIT_ENTITY_TYPES as [string, ...string[]]);
/** Entity ids are ULIDs and user ids Cognito subs: letters, digits and dashes. */
const EntityIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'An entity or user id');
const TimeSchema = z.union([z.iso.datetime(), z.iso.date()], { message: 'An ISO 8601 time or a date' });

export const AuditEntrySchema = z
  .object({
    entityType: z.string(),
    entityId: z.string(),
    seq: z.number().int().describe('1 for the first entry of the chain, then one more per entry'),
    action: z.string().describe('create, update, a transition (verify, offer…), read.document, login, …'),
    actor: z.object({ userId: z.string().describe('Cognito sub, or "system"'), roles: z.array(z.string()) }),
    requestId: z.string().describe('x-request-id of the request that made the change'),
    at: z.string(),
    summary: z.string(),
    changes: z
      .record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }))
      .describe(
        'Changed fields; PHI values are "[redacted]"; a value over 8 KB is `{ sha256, bytes }` (SHA-256 hex of its ' +
          "UTF-8 text, or of its RFC 8785 canonical JSON when not a string); when even those exceed the entry's " +
          'budget (every entry stays under 64 KB), one field "*" holds the digests of all old and all new values',
      ),
    prevHash: z.string().describe("The previous entry's hash; 64 zeros for the first"),
    hash: z.string().describe('SHA-256 (hex) of prevHash + the RFC 8785 canonical JSON of the stored entry'),
  })
  .openapi('AuditEntry');

export const AuditEntryListSchema = listOf(AuditEntrySchema).openapi('AuditEntryList');

export const ListAuditQuerySchema = ListQuerySchema.extend({
  entityType: EntityTypeSchema.optional(),
  entityId: EntityIdSchema.optional(),
  actorId: EntityIdSchema.optional(),
  from: TimeSchema.optional().describe('Inclusive; a date means its start (UTC)'),
  to: TimeSchema.optional().describe('Inclusive; a date means its end (UTC); default now'),
})
  .strict()
  .refine((query) => query.entityId === undefined || query.entityType !== undefined, {
    path: ['entityId'],
    message: 'entityId needs entityType',
  });

export type AuditFilters = ListFilters<typeof ListAuditQuerySchema>;

export const AuditChainParamsSchema = z
  .object({ entityType: EntityTypeSchema, entityId: EntityIdSchema })
  .strict();

export const AuditChainQuerySchema = ListQuerySchema;

export const ChainVerdictSchema = z
  .object({
    valid: z.boolean(),
    entries: z.number().int(),
    headHash: z.string().describe("The newest entry's hash (64 zeros for an empty chain)"),
    brokenAt: z.number().int().optional().describe('The seq of the first entry that is wrong or missing'),
  })
  .openapi('AuditChainVerdict');

/** One entry as the API returns it (API.md "Audit"). */
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type ChainVerdict = z.infer<typeof ChainVerdictSchema>;

const RangeFields = {
  from: TimeSchema.optional().describe(
    'Digests whose hour starts at or after this; default 24 h before `to`',
  ),
  to: TimeSchema.optional().describe('…and at or before this; default now. A range spans at most 31 days'),
};

export const ListDigestsQuerySchema = ListQuerySchema.extend(RangeFields).strict();

export const LedgerDigestSummarySchema = z
  .object({
    key: z.string().describe('digests/<YYYY>/<MM>/<DD>/<HH>.json in the Object Lock bucket'),
    period: z.object({ from: z.string(), to: z.string() }).nullable().describe('null when unreadable'),
    createdAt: z.string().nullable(),
    chains: z.number().int().describe('Chain heads the digest names'),
    previous: z.string().nullable().describe("The previous digest's key (null: the first)"),
  })
  .openapi('LedgerDigestSummary');

export const LedgerDigestListSchema = listOf(LedgerDigestSummarySchema).openapi('LedgerDigestList');

export const VerifyLedgerQuerySchema = z
  .object({ ...RangeFields, cursor: z.string().min(1).max(2048).optional() })
  .strict();

export const LedgerVerdictSchema = z
  .object({
    valid: z.boolean().describe('No problem on this page (follow nextCursor for the rest)'),
    checked: z.number().int().describe('Digests (first page) and chains checked on this page'),
    problems: z.array(
      z.object({
        kind: z
          .enum([
            'chain_missing',
            'chain_truncated',
            'chain_rewritten',
            'chain_forked',
            'digest_missing',
            'digest_invalid',
          ])
          .describe(
            'chain_missing: a digested chain has no entries; chain_truncated: fewer entries than a digest counted; ' +
              'chain_rewritten: the entry a digest named has another hash, or the chain no longer links; ' +
              'chain_forked: digests disagree on the chain, or it matches the newest but lost an older head; ' +
              "digest_missing: a digest's predecessor is gone; digest_invalid: a digest's signature or recorded hash fails",
          ),
        entityType: z.string().optional(),
        entityId: z.string().optional(),
        digestKey: z.string().optional(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('LedgerVerdict');
