import { ListQuerySchema } from '#domain/schemas/common.ts';
import {
  CreateDecisionBodySchema,
  CreateVerificationBodySchema,
  CredentialingDecisionListSchema,
  CredentialingDecisionSchema,
  CredentialingFlagListSchema,
  FlagListQuerySchema,
  FlagParamsSchema,
  FlagResolutionSchema,
  MonitoringRunListSchema,
  ResolveFlagBodySchema,
  VerificationListSchema,
  VerificationSchema,
} from '#domain/schemas/credentialing.ts';
import { StaffIdParamsSchema } from '#domain/schemas/staff.ts';
import type { RouteDefinition } from '../routes.ts';
import { performs } from './access.ts';

const tag = 'Credentialing';

export const CREDENTIALING_ROUTES = [
  {
    method: 'POST',
    path: '/staff/{id}/verifications',
    operationId: 'createVerification',
    summary: "Records a credentialing user's own check of a staff member or a credential (manual)",
    tag,
    fn: 'credentialing',
    ...performs('Verification', 'create'),
    request: { params: StaffIdParamsSchema, body: CreateVerificationBodySchema, idempotent: true },
    responses: { 201: { description: 'The record, immutable from now on', schema: VerificationSchema } },
    problems: [422],
  },
  {
    method: 'GET',
    path: '/staff/{id}/verifications',
    operationId: 'listVerifications',
    summary: "A staff member's verification records, newest first",
    tag,
    fn: 'credentialing',
    ...performs('Verification', 'list'),
    request: { params: StaffIdParamsSchema, query: ListQuerySchema },
    responses: { 200: { description: 'A page of records', schema: VerificationListSchema } },
  },
  {
    method: 'POST',
    path: '/staff/{id}/checks/nppes',
    operationId: 'checkNppes',
    summary:
      "Checks the staff member's NPI, name and licences against the NPPES NPI Registry now (evidence kept)",
    tag,
    fn: 'credentialing',
    ...performs('Verification', 'check'),
    request: { params: StaffIdParamsSchema },
    responses: {
      201: {
        description: 'The record: match, no_match with the differing fields, or error',
        schema: VerificationSchema,
      },
    },
    problems: [422],
  },
  {
    method: 'POST',
    path: '/staff/{id}/checks/leie',
    operationId: 'checkLeie',
    summary:
      'Screens the staff member against the active month of the OIG LEIE now: by NPI, then name and date of birth',
    tag,
    fn: 'credentialing',
    ...performs('Verification', 'check'),
    request: { params: StaffIdParamsSchema },
    responses: {
      201: {
        description: 'The record: match, suspected (name only), no_match, or error (no file imported yet)',
        schema: VerificationSchema,
      },
    },
  },
  {
    method: 'POST',
    path: '/staff/{id}/decisions',
    operationId: 'createCredentialingDecision',
    summary:
      'Records a credentialing decision; an approval needs NPPES (with an NPI), LEIE and every active credential verified within 120 days',
    tag,
    fn: 'credentialing',
    ...performs('CredentialingDecision', 'create'),
    request: { params: StaffIdParamsSchema, body: CreateDecisionBodySchema, idempotent: true },
    responses: { 201: { description: 'The decision', schema: CredentialingDecisionSchema } },
    problems: [412, 422],
  },
  {
    method: 'GET',
    path: '/staff/{id}/decisions',
    operationId: 'listCredentialingDecisions',
    summary: "A staff member's credentialing decisions, newest first",
    tag,
    fn: 'credentialing',
    ...performs('CredentialingDecision', 'list'),
    request: { params: StaffIdParamsSchema, query: ListQuerySchema },
    responses: { 200: { description: 'A page of decisions', schema: CredentialingDecisionListSchema } },
  },
  {
    method: 'GET',
    path: '/monitoring-runs',
    operationId: 'listMonitoringRuns',
    summary: 'Exclusion monitoring runs, newest first',
    tag,
    fn: 'credentialing',
    ...performs('MonitoringRun', 'list'),
    request: { query: ListQuerySchema },
    responses: { 200: { description: 'A page of runs', schema: MonitoringRunListSchema } },
  },
  {
    method: 'POST',
    path: '/staff/{id}/flags/{flagId}/resolve',
    operationId: 'resolveCredentialingFlag',
    summary: 'Resolves a monitoring flag: cleared returns the staff member to approved, confirmed denies',
    tag,
    fn: 'credentialing',
    ...performs('CredentialingDecision', 'resolveFlag'),
    request: { params: FlagParamsSchema, body: ResolveFlagBodySchema },
    responses: { 200: { description: 'The status now', schema: FlagResolutionSchema } },
    problems: [409, 412, 422],
  },
  {
    method: 'GET',
    path: '/credentialing-flags',
    operationId: 'listCredentialingFlags',
    summary: 'The credentialing work queue of monitoring flags (open by default), oldest first',
    tag,
    fn: 'credentialing',
    ...performs('CredentialingFlag', 'list'),
    request: { query: FlagListQuerySchema },
    responses: { 200: { description: 'A page of flags', schema: CredentialingFlagListSchema } },
  },
] as const satisfies readonly RouteDefinition[];
