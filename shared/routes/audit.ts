import {
  AuditChainParamsSchema,
  AuditChainQuerySchema,
  AuditEntryListSchema,
  ChainVerdictSchema,
  LedgerDigestListSchema,
  LedgerVerdictSchema,
  ListAuditQuerySchema,
  ListDigestsQuerySchema,
  VerifyLedgerQuerySchema,
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
  {
    method: 'GET',
    path: '/audit/digests',
    operationId: 'listLedgerDigests',
    summary: 'The signed hourly digests of the ledger in a time range (the Object Lock bucket)',
    tag,
    fn: 'audit',
    ...performs('Audit', 'verifyLedger'),
    request: { query: ListDigestsQuerySchema },
    responses: { 200: { description: 'A page of digests, oldest first', schema: LedgerDigestListSchema } },
  },
  {
    method: 'GET',
    path: '/audit/digests/public-key',
    operationId: 'getLedgerPublicKey',
    summary: 'The public key (SPKI PEM, ECDSA P-256) that verifies every digest without the service',
    tag,
    fn: 'audit',
    access: 'public',
    responses: { 200: { description: 'The PEM', contentType: 'application/x-pem-file' } },
  },
  {
    method: 'GET',
    path: '/audit/verify',
    operationId: 'verifyLedger',
    summary: 'Checks every chain the digests of a range name, and the digests, against the ledger now',
    tag,
    fn: 'audit',
    ...performs('Audit', 'verifyLedger'),
    request: { query: VerifyLedgerQuerySchema },
    responses: {
      200: {
        description: 'One page of problems (may be partial: follow nextCursor)',
        schema: LedgerVerdictSchema,
      },
    },
  },
] as const satisfies readonly RouteDefinition[];
