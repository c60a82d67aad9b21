import * as z from 'zod';
import '../zod-openapi.ts';
import { ListQuerySchema, listOf, UlidSchema } from './common.ts';

/** Where a check was made: a primary source by API or file, or a person's own check. */
export const VERIFICATION_SOURCES = ['nppes', 'leie', 'sam', 'manual'] as const;
export const VERIFICATION_METHODS = ['api', 'file', 'manual'] as const;
export const VERIFICATION_RESULTS = ['match', 'no_match', 'suspected', 'error'] as const;

export type VerificationSource = (typeof VERIFICATION_SOURCES)[number];
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

const TextSchema = (max: number) => z.string().trim().min(1).max(max);

export const EvidenceSchema = z
  .object({
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe("SHA-256 of the source's response or file row"),
    snapshotKey: z.string().describe('Object key of that snapshot in the documents bucket'),
  })
  .openapi('VerificationEvidence');

export type Evidence = z.infer<typeof EvidenceSchema>;

export const VerificationSchema = z
  .object({
    id: z.string(),
    subject: z.object({ staffId: z.string(), credentialId: z.string().optional() }),
    source: z.enum(VERIFICATION_SOURCES),
    sourceRef: z
      .string()
      .describe('Which source answered (API version, file month and row, or a named lookup)'),
    checkedAt: z.string(),
    method: z.enum(VERIFICATION_METHODS),
    result: z.enum(VERIFICATION_RESULTS),
    verifier: z.string().describe('User id (Cognito sub), or "system"'),
    evidence: EvidenceSchema.optional(),
    differences: z
      .array(
        z.object({
          field: z.string(),
          profileValue: z.string().nullable(),
          sourceValue: z.string().nullable(),
        }),
      )
      .optional()
      .describe('no_match: the fields where the source differs from the profile'),
    note: z.string().optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Verification', { description: 'One check against a source: immutable once written' });

export type Verification = z.infer<typeof VerificationSchema>;

export const VerificationListSchema = listOf(VerificationSchema).openapi('VerificationList');

/** A credentialing user's own check (a board's lookup page, a phone call): a `manual` record. */
export const CreateVerificationBodySchema = z
  .object({
    credentialId: UlidSchema.optional().describe('The credential checked; absent for a check of the person'),
    sourceRef: TextSchema(200).describe('Where it was checked, e.g. "Texas BON licence lookup" (no PHI)'),
    result: z.enum(['match', 'no_match', 'suspected']),
    checkedAt: z.iso.datetime({ message: 'A time as ISO 8601' }).optional().describe('Defaults to now'),
    note: TextSchema(2000).optional(),
  })
  .strict()
  .openapi('CreateVerificationRequest');

export type NewManualVerification = z.output<typeof CreateVerificationBodySchema>;

export const DECISION_OUTCOMES = ['approved', 'denied'] as const;

export const CredentialingDecisionSchema = z
  .object({
    id: z.string(),
    staffId: z.string(),
    outcome: z.enum(DECISION_OUTCOMES),
    decidedAt: z.string(),
    decidedBy: z.string().describe('User id (Cognito sub)'),
    verificationIds: z.array(z.string()),
    recredentialDueAt: z.string().nullable().describe('Approvals: the decision + 36 months'),
    note: z.string().optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CredentialingDecision');

export type CredentialingDecision = z.infer<typeof CredentialingDecisionSchema>;

export const CredentialingDecisionListSchema =
  listOf(CredentialingDecisionSchema).openapi('CredentialingDecisionList');

export const CreateDecisionBodySchema = z
  .object({
    outcome: z.enum(DECISION_OUTCOMES),
    verificationIds: z.array(UlidSchema).max(100).describe('The records the decision rests on'),
    note: TextSchema(2000),
  })
  .strict()
  .openapi('CreateCredentialingDecisionRequest');

export type NewDecisionInput = z.output<typeof CreateDecisionBodySchema>;

export const MonitoringRunSchema = z
  .object({
    id: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    sources: z.array(z.string()).describe('The sources screened (leie; sam when configured)'),
    checked: z.number().int(),
    matches: z.number().int(),
    suspected: z.number().int(),
    errors: z.number().int(),
    flaggedStaffIds: z.array(z.string()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('MonitoringRun');

export type MonitoringRun = z.infer<typeof MonitoringRunSchema>;

export const MonitoringRunListSchema = listOf(MonitoringRunSchema).openapi('MonitoringRunList');

export const ResolveFlagBodySchema = z
  .object({
    outcome: z.enum(['cleared', 'confirmed']).describe('cleared: back to approved; confirmed: denied'),
    verificationId: UlidSchema.describe("The record of the credentialing user's own check"),
    note: TextSchema(2000),
  })
  .strict()
  .openapi('ResolveFlagRequest');

export type ResolveFlagInput = z.output<typeof ResolveFlagBodySchema>;

export const FlagParamsSchema = z.object({ id: UlidSchema, flagId: UlidSchema }).strict();

export const FlagResolutionSchema = z
  .object({
    id: z.string().describe('The staff profile'),
    credentialingStatus: z.enum(['approved', 'denied']),
  })
  .openapi('FlagResolution');

export const FLAG_STATUSES = ['open', 'cleared', 'confirmed'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/** A monitoring flag on the credentialing work queue: open until a credentialing user resolves it. */
export const CredentialingFlagSchema = z
  .object({
    id: z.string().describe('The verification record that raised the flag (resolve the flag by it)'),
    staffId: z.string(),
    staffName: z.string(),
    source: z.enum(VERIFICATION_SOURCES),
    result: z.enum(['match', 'suspected']),
    raisedAt: z.string(),
    status: z.enum(FLAG_STATUSES),
    resolvedAt: z.string().optional(),
    resolvedBy: z.string().optional().describe('User id (Cognito sub) of the credentialing user'),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CredentialingFlag');

export type CredentialingFlag = z.infer<typeof CredentialingFlagSchema>;

export const CredentialingFlagListSchema = listOf(CredentialingFlagSchema).openapi('CredentialingFlagList');

export const FlagListQuerySchema = ListQuerySchema.extend({
  status: z.enum(FLAG_STATUSES).default('open').describe('The queue: open flags by default, oldest first'),
}).strict();
