import * as z from 'zod';
import { EXPIRY_THRESHOLDS, SWEEP_HORIZON_DAYS } from '../credentials/expiry.ts';
import { CREDENTIAL_STATUSES } from '../credentials/state-machine.ts';
import '../zod-openapi.ts';
import { DaySchema, isDay, type ListFilters, ListQuerySchema, listOf, UlidSchema } from './common.ts';

/** What a credential document may be: PDF, PNG or JPEG, at most 10 MB. */
export const DOCUMENT_CONTENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

const StatusSchema = z.enum(CREDENTIAL_STATUSES);
const ThresholdSchema = z.union(EXPIRY_THRESHOLDS.map((days) => z.literal(days)));
const TextSchema = (max: number) => z.string().trim().min(1).max(max);

/** Licences are issued per US state or territory; a multistate (NLC) licence names its home state. */
const JURISDICTION =
  'Two-letter code of the US state or territory that issued it (a multistate licence: its home state)';
const JurisdictionSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'A two-letter state or territory code such as CA or TX')
  .describe(JURISDICTION);

const RecordOfSchema = <T extends z.ZodRawShape>(shape: T) =>
  z.object({ by: z.string().describe('User id (Cognito sub)'), at: z.string(), ...shape });

/** Which object a verification looked at: what `GET …/document` serves from then on. */
const VerifiedDocumentSchema = z.object({
  key: z.string().describe('S3 object key (ids only)'),
  versionId: z.string().optional().describe('S3 version id (absent where the store keeps no versions)'),
  sha256: z.string().describe('SHA-256 (hex) of the bytes'),
});

export const CredentialSchema = z
  .object({
    id: z.string(),
    staffId: z.string(),
    staffName: z
      .string()
      .optional()
      .describe('In the work queue (GET /credentials): the staff member’s name'),
    type: z.string().describe('Upper-case code such as RN, BLS, ACLS'),
    issuedBy: z.string().optional(),
    jurisdiction: z.string().optional().describe(JURISDICTION),
    number: z.string().optional(),
    issueDate: z.string().optional(),
    expiryDate: z.string().optional(),
    status: StatusSchema,
    expiryWarning: ThresholdSchema.nullable(),
    verification: RecordOfSchema({
      method: z.string(),
      note: z.string().optional(),
      document: VerifiedDocumentSchema.optional().describe(
        'The document as verified; absent when the credential was verified without one',
      ),
      verificationId: z
        .string()
        .optional()
        .describe(
          'The verification record it rests on (GET /staff/{id}/verifications); absent on older items',
        ),
    }).optional(),
    rejection: RecordOfSchema({ reason: z.string() }).optional(),
    revocation: RecordOfSchema({ reason: z.string() }).optional(),
    document: z
      .object({
        name: z.string(),
        contentType: z.string(),
        size: z.number().int(),
        status: z
          .enum(['pending', 'uploaded', 'rejected'])
          .describe('rejected: the bytes or the name did not fit the type (reason); the object is deleted'),
        reason: z.string().optional().describe('Why the upload was rejected'),
      })
      .optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Credential');

export type Credential = z.infer<typeof CredentialSchema>;

export const CredentialListSchema = listOf(CredentialSchema).openapi('CredentialList');

export const CreateCredentialBodySchema = z
  .object({
    type: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$/, 'A code of letters, digits, - and _ (at most 20)')
      .toUpperCase(),
    issuedBy: TextSchema(200).optional(),
    jurisdiction: JurisdictionSchema.optional(),
    number: TextSchema(100).optional(),
    issueDate: DaySchema.optional(),
    expiryDate: DaySchema.optional(),
  })
  .strict()
  .refine(
    (body) =>
      !body.issueDate ||
      !body.expiryDate ||
      !isDay(body.issueDate) ||
      !isDay(body.expiryDate) ||
      body.issueDate <= body.expiryDate,
    {
      message: 'The expiry date is before the issue date',
      path: ['expiryDate'],
    },
  )
  .openapi('CreateCredentialRequest');

export type NewCredentialInput = z.output<typeof CreateCredentialBodySchema>;

export const StaffCredentialsQuerySchema = ListQuerySchema.extend({
  status: StatusSchema.optional(),
}).strict();

export const CredentialQueueQuerySchema = ListQuerySchema.extend({
  status: StatusSchema.optional().describe('Defaults to pending when expiringWithinDays is absent'),
  expiringWithinDays: z.coerce
    .number()
    .int()
    .min(0)
    .max(SWEEP_HORIZON_DAYS)
    .optional()
    .describe('Pending and active credentials expiring from today to today + N (UTC days)'),
}).strict();

export type CredentialQueueFilters = ListFilters<typeof CredentialQueueQuerySchema>;

export const CredentialIdParamsSchema = z.object({ id: UlidSchema }).strict();

export const VerifyCredentialBodySchema = z
  .union([
    z
      .object({
        verificationId: UlidSchema.describe(
          'A matching verification record of this credential or its holder',
        ),
      })
      .strict(),
    z
      .object({ method: TextSchema(100), note: TextSchema(2000).optional() })
      .strict()
      .describe('The older body: records a manual verification on the way'),
  ])
  .openapi('VerifyCredentialRequest');

export const ReasonBodySchema = z
  .object({ reason: TextSchema(2000) })
  .strict()
  .openapi('ReasonRequest');

export type VerifyCredentialInput = z.output<typeof VerifyCredentialBodySchema>;
export type ReasonInput = z.output<typeof ReasonBodySchema>;

export const DocumentUploadBodySchema = z
  .object({
    name: TextSchema(255),
    contentType: z.enum(DOCUMENT_CONTENT_TYPES, { message: 'PDF, PNG or JPEG' }),
    size: z.number().int().min(1).max(MAX_DOCUMENT_BYTES, 'At most 10 MB'),
  })
  .strict()
  .openapi('DocumentUploadRequest');

export type DocumentUploadInput = z.output<typeof DocumentUploadBodySchema>;

export const DocumentUploadSchema = z
  .object({
    uploadUrl: z.string(),
    uploadHeaders: z.record(z.string(), z.string()).describe('Send exactly these headers with the PUT'),
    expiresIn: z.number().int().describe('Seconds the URL stays valid'),
  })
  .openapi('DocumentUpload');

export const DocumentDownloadSchema = z
  .object({
    downloadUrl: z.string(),
    expiresIn: z.number().int(),
    served: VerifiedDocumentSchema.partial({ sha256: true })
      .extend({ verified: z.boolean().describe('Whether this is the version the verification recorded') })
      .describe('The object the URL serves'),
  })
  .openapi('DocumentDownload');

export const SweepResultSchema = z
  .object({ examined: z.number().int(), warned: z.number().int(), expired: z.number().int() })
  .openapi('ExpirySweepResult');

export type SweepResult = z.infer<typeof SweepResultSchema>;
