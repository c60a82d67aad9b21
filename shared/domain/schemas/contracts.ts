import * as z from 'zod';
import { CONTRACT_STATUSES } from '../contracts/state-machine.ts';
import '../zod-openapi.ts';
import { DaySchema, isDay, type ListFilters, ListQuerySchema, listOf } from './common.ts';

const DateSchema = DaySchema.describe('YYYY-MM-DD, a day in UTC');
const UlidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a ULID');

export const ContractStatusSchema = z.enum(CONTRACT_STATUSES);

export const RateSchema = z
  .object({
    amountCents: z.number().int().min(0).max(100_000_000),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
    per: z.enum(['hour', 'shift', 'week']),
  })
  .strict()
  .openapi('Rate');

/** Credential type codes are matched upper-case; a set, so stored unique and sorted. */
export const CredentialTypesSchema = z
  .array(
    z
      .string()
      .trim()
      .toUpperCase()
      .pipe(z.string().regex(/^[A-Z][A-Z0-9_-]{0,31}$/, 'a credential type code such as RN or BLS')),
  )
  .max(20)
  .transform((types) => [...new Set(types)].sort());

/** The versioned content: any change to it makes a new version. */
const ContentShape = {
  title: z.string().trim().min(1).max(200),
  terms: z.string().min(1).max(100_000).describe('Markdown'),
  startDate: DateSchema,
  endDate: DateSchema,
  rate: RateSchema.optional(),
  location: z.string().trim().min(1).max(500).optional(),
  requiredCredentialTypes: CredentialTypesSchema.default([]),
};

const endsAfterStart = (content: { startDate: string; endDate: string }) =>
  !isDay(content.startDate) || !isDay(content.endDate) || content.endDate >= content.startDate;
const endDateIssue = { message: 'endDate must not be before startDate', path: ['endDate'] };

export const ContractContentSchema = z.object(ContentShape).strict().refine(endsAfterStart, endDateIssue);

export const CreateContractBodySchema = z
  .object({ staffId: UlidSchema, ...ContentShape })
  .strict()
  .refine(endsAfterStart, endDateIssue)
  .openapi('CreateContractRequest');

export const ReviseContractBodySchema = ContractContentSchema.openapi('ReviseContractRequest');

export const AcknowledgementSchema = z
  .object({
    by: z.string().describe('Cognito sub of the staff member'),
    at: z.string(),
    version: z.number().int(),
    contentHash: z.string(),
  })
  .openapi('Acknowledgement');

export const ContractSchema = z
  .object({
    id: z.string(),
    staffId: z.string(),
    title: z.string(),
    terms: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    rate: RateSchema.optional(),
    location: z.string().optional(),
    requiredCredentialTypes: z.array(z.string()),
    status: ContractStatusSchema,
    currentVersion: z
      .number()
      .int()
      .describe(
        'The content version the contract holds (1, 2, …): what POST /contracts/{id}/acknowledge takes as `version`',
      ),
    contentHash: z.string().describe('SHA-256 (hex) of the RFC 8785 canonical JSON of the content'),
    acknowledgement: AcknowledgementSchema.optional(),
    reason: z.string().optional().describe('Why it was declined or terminated'),
    version: z
      .number()
      .int()
      .describe(
        'Counts every change, status changes included: the ETag (`If-Match`), not the content version',
      ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Contract');

export const ContractListSchema = listOf(ContractSchema).openapi('ContractList');

export const ContractVersionSchema = z
  .object({
    contractId: z.string(),
    version: z.number().int(),
    contentHash: z.string(),
    title: z.string(),
    terms: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    rate: RateSchema.optional(),
    location: z.string().optional(),
    requiredCredentialTypes: z.array(z.string()),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('ContractVersion');

export const ContractVersionListSchema = listOf(ContractVersionSchema).openapi('ContractVersionList');

export const ListContractsQuerySchema = ListQuerySchema.extend({
  staffId: UlidSchema.optional(),
  status: ContractStatusSchema.optional(),
}).strict();

export const ContractIdParamsSchema = z.object({ id: UlidSchema }).strict();

export const ContractVersionParamsSchema = z
  .object({ id: UlidSchema, n: z.coerce.number().int().min(1).max(1_000_000) })
  .strict();

export const AcknowledgeContractBodySchema = z
  .object({
    version: z
      .number()
      .int()
      .min(1)
      .describe(
        "The content version you accept: the contract's `currentVersion`, not its `version` (which counts every change and is the ETag)",
      ),
    contentHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits (SHA-256)')
      .describe(
        'The `contentHash` of that version, as the contract (or GET /contracts/{id}/versions/{n}) shows it',
      ),
  })
  .strict()
  .openapi('AcknowledgeContractRequest', {
    description:
      'Accept the exact terms you read: a newer content version (or another hash) is refused with 409, so a staff member never acknowledges terms they have not seen.',
  });

export const DeclineContractBodySchema = z
  .object({ reason: z.string().trim().min(1).max(2000).optional() })
  .strict()
  .openapi('DeclineContractRequest');

export const TerminateContractBodySchema = z
  .object({ reason: z.string().trim().min(1).max(2000) })
  .strict()
  .openapi('TerminateContractRequest');

export type ContractContent = z.output<typeof ContractContentSchema>;
export type CreateContractInput = z.output<typeof CreateContractBodySchema>;
export type Contract = z.output<typeof ContractSchema>;
export type ContractVersion = z.output<typeof ContractVersionSchema>;
export type ContractStatus = z.output<typeof ContractStatusSchema>;
export type ContractListFilters = ListFilters<typeof ListContractsQuerySchema>;
export type AcknowledgeContractInput = z.output<typeof AcknowledgeContractBodySchema>;
export type TerminateContractInput = z.output<typeof TerminateContractBodySchema>;
export type Rate = z.output<typeof RateSchema>;
