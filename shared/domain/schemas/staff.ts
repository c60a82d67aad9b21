import * as z from 'zod';
import { CREDENTIALING_STATUSES, RECREDENTIAL_WARNINGS } from '../credentialing/cycle.ts';
import { isValidNpi } from '../staff/npi.ts';
import '../zod-openapi.ts';
import { EmailSchema } from './auth.ts';
import { DaySchema, isDay, type ListFilters, ListQuerySchema, listOf, UlidSchema } from './common.ts';

const NameSchema = z.string().trim().min(1).max(200);
const SpecialtySchema = z.string().trim().min(1).max(100);
const PhoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ().-]{4,29}$/, 'A phone number');
const NpiSchema = z
  .string()
  .regex(/^\d{10}$/, 'A 10-digit NPI')
  .refine(isValidNpi, 'Not an NPI: the check digit is wrong')
  .describe('National Provider Identifier: ten digits, the last a Luhn check digit (CMS)');
const DateOfBirthSchema = DaySchema.refine(
  (day) => !isDay(day) || day >= '1900-01-01',
  'A date of birth after 1900',
);

export const StaffProfileSchema = z
  .object({
    id: z.string(),
    userId: z.string().describe('Cognito sub of the staff member'),
    name: z.string(),
    dateOfBirth: z
      .string()
      .optional()
      .describe('Only to the owner, credentialing and admin, and only from GET /staff/{id}'),
    specialty: z.string().optional(),
    npi: z.string().optional(),
    phone: z.string().optional(),
    email: z.string(),
    isActive: z.boolean(),
    credentialingStatus: z
      .enum(CREDENTIALING_STATUSES)
      .describe('From the latest credentialing decision; approved turns due 90 days before recredentialing'),
    recredentialDueAt: z.string().optional().describe('Approved: the decision + 36 months'),
    recredentialWarning: z
      .union(RECREDENTIAL_WARNINGS.map((warning) => z.literal(warning)))
      .optional()
      .describe(
        'Approved: the last warning of the daily sweep, in days before recredentialing is due (90, 60, 30, 14, 7, 0), or overdue',
      ),
    credentialingFlagId: z
      .string()
      .optional()
      .describe('Flagged: the verification record that raised the flag (resolve it by this id)'),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('StaffProfile');

export type StaffProfile = z.infer<typeof StaffProfileSchema>;

export const StaffProfileListSchema = listOf(StaffProfileSchema).openapi('StaffProfileList');

export const CreateStaffProfileBodySchema = z
  .object({
    userId: z.uuid({ message: 'A Cognito user id' }),
    name: NameSchema,
    email: EmailSchema.optional().describe("Defaults to the user's email"),
    dateOfBirth: DateOfBirthSchema.optional(),
    specialty: SpecialtySchema.optional(),
    npi: NpiSchema.optional(),
    phone: PhoneSchema.optional(),
    isActive: z.boolean().default(true),
  })
  .strict()
  .openapi('CreateStaffProfileRequest');

/** `null` clears an optional field. The owner may change only name, phone and specialty. */
export const UpdateStaffProfileBodySchema = z
  .object({
    name: NameSchema.optional(),
    email: EmailSchema.optional(),
    dateOfBirth: DateOfBirthSchema.nullable().optional(),
    specialty: SpecialtySchema.nullable().optional(),
    npi: NpiSchema.nullable().optional(),
    phone: PhoneSchema.nullable().optional(),
    isActive: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'Name at least one field to change')
  .openapi('UpdateStaffProfileRequest');

export type StaffProfileChanges = z.output<typeof UpdateStaffProfileBodySchema>;

export const ListStaffQuerySchema = ListQuerySchema.extend({
  specialty: SpecialtySchema.optional(),
  active: z
    .enum(['true', 'false'], { message: 'true or false' })
    .transform((value) => value === 'true')
    .optional(),
  credentialingStatus: z
    .enum(CREDENTIALING_STATUSES)
    .optional()
    .describe('As of now: due is within 90 days of recredentialing'),
}).strict();

export const StaffIdParamsSchema = z.object({ id: UlidSchema }).strict();

/**
 * A new profile as the create body is sent, before its default: the invitation and sign-up paths
 * create profiles without the schema, and the service applies `isActive`'s default itself.
 */
export type NewStaffProfile = z.input<typeof CreateStaffProfileBodySchema>;
export type StaffListFilters = ListFilters<typeof ListStaffQuerySchema>;
