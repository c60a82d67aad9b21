import {
  AuditChainParamsSchema,
  AuditChainQuerySchema,
  AuditEntryListSchema,
  ChainVerdictSchema,
  ListAuditQuerySchema,
} from '#domain/schemas/audit.ts';
import type { RouteDefinition } from '../routes.ts';

const tag = 'Audit';
// Credentialing reads Credential and StaffProfile chains only (the policy says so per request).
const access = { roles: ['admin', 'credentialing'] } as const;

export const AUDIT_ROUTES = [
  {
    method: 'GET',
    path: '/audit',
    operationId: 'listAuditEntries',
    summary: 'Ledger entries, newest first, by entity, actor, type and time',
    tag,
    fn: 'audit',
    access,
    policy: { resource: 'Audit', action: 'list' },
    request: { query: ListAuditQuerySchema },
    responses: {
      200: {
        description: 'A page of entries (may be short: follow nextCursor)',
        schema: AuditEntryListSchema,
      },
    },
  },
  {
    method: 'GET',
    path: '/audit/{entityType}/{entityId}',
    operationId: 'getAuditChain',
    summary: "An entity's chain, oldest first",
    tag,
    fn: 'audit',
    access,
    policy: { resource: 'Audit', action: 'read' },
    request: { params: AuditChainParamsSchema, query: AuditChainQuerySchema },
    responses: { 200: { description: 'A page of the chain', schema: AuditEntryListSchema } },
  },
  {
    method: 'GET',
    path: '/audit/{entityType}/{entityId}/verify',
    operationId: 'verifyAuditChain',
    summary: "Recomputes an entity's chain and compares it with the change counts in Main",
    tag,
    fn: 'audit',
    access,
    policy: { resource: 'Audit', action: 'verify' },
    request: { params: AuditChainParamsSchema },
    responses: { 200: { description: 'The verdict', schema: ChainVerdictSchema } },
  },
] as const satisfies readonly RouteDefinition[];
