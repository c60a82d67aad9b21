import {
  AuditChainParamsSchema,
  AuditChainQuerySchema,
  AuditEntryListSchema,
  ChainVerdictSchema,
  ListAuditQuerySchema,
} from '#domain/schemas/audit.ts';
import type { RouteDefinition } from '../routes.ts';
import { performs } from './access.ts';

const tag = 'Audit';
// Credentialing reads Credential and StaffProfile chains only (the policy says so per request).

export const AUDIT_ROUTES = [
  {
    method: 'GET',
    path: '/audit',
    operationId: 'listAuditEntries',
    summary: 'Ledger entries, newest first, by entity, actor, type and time',
    tag,
    fn: 'audit',
    ...performs('Audit', 'list'),
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
    ...performs('Audit', 'read'),
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
    ...performs('Audit', 'verify'),
    request: { params: AuditChainParamsSchema },
    responses: { 200: { description: 'The verdict', schema: ChainVerdictSchema } },
  },
] as const satisfies readonly RouteDefinition[];
