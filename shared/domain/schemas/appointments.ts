import * as z from 'zod';
import {
  isOnSlotGrid,
  MAX_APPOINTMENT_HOURS,
  MAX_APPOINTMENT_MS,
  SLOT_MINUTES,
} from '../appointments/schedule-slots.ts';
import { APPOINTMENT_STATUSES } from '../appointments/state-machine.ts';
import '../zod-openapi.ts';
import { type ListFilters, ListQuerySchema, listOf } from './common.ts';

const UlidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a ULID');

/** Any ISO 8601 timestamp with an offset, normalised to UTC `…Z` so stored times sort as text. */
const TimestampSchema = z.iso
  .datetime({ offset: true, message: 'A time as ISO 8601 with an offset, e.g. 2026-03-06T19:00:00Z' })
  .transform((value) => new Date(value).toISOString())
  .describe('ISO 8601 timestamp');

const SlotTimeSchema = TimestampSchema.refine(
  isOnSlotGrid,
  `on the ${SLOT_MINUTES}-minute grid (…:00, :15, :30, :45)`,
);

const LocationSchema = z.string().trim().min(1).max(500);
const NotesSchema = z.string().min(1).max(5000);

export const AppointmentStatusSchema = z.enum(APPOINTMENT_STATUSES);

interface Interval {
  startAt: string;
  endAt: string;
}

const checkInterval = ({ startAt, endAt }: Interval, context: z.core.$RefinementCtx) => {
  const length = Date.parse(endAt) - Date.parse(startAt);
  if (length <= 0)
    context.addIssue({ code: 'custom', path: ['endAt'], message: 'endAt must be after startAt' });
  else if (length > MAX_APPOINTMENT_MS)
    context.addIssue({ code: 'custom', path: ['endAt'], message: `at most ${MAX_APPOINTMENT_HOURS} hours` });
};

export const CreateAppointmentBodySchema = z
  .object({
    staffId: UlidSchema,
    contractId: UlidSchema.optional(),
    startAt: SlotTimeSchema,
    endAt: SlotTimeSchema,
    location: LocationSchema.optional(),
    notes: NotesSchema.optional(),
  })
  .strict()
  .superRefine(checkInterval)
  .openapi('CreateAppointmentRequest');

export const UpdateAppointmentBodySchema = z
  .object({
    startAt: SlotTimeSchema.optional(),
    endAt: SlotTimeSchema.optional(),
    location: LocationSchema.nullable().optional().describe('null removes it'),
    notes: NotesSchema.nullable().optional().describe('null removes them'),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'Name at least one field to change')
  .openapi('UpdateAppointmentRequest');

export const CancelAppointmentBodySchema = z
  .object({ reason: z.string().trim().min(1).max(2000) })
  .strict()
  .openapi('CancelAppointmentRequest');

export const AppointmentSchema = z
  .object({
    id: z.string(),
    staffId: z.string(),
    contractId: z.string().optional(),
    startAt: z.string(),
    endAt: z.string(),
    location: z.string().optional(),
    status: AppointmentStatusSchema,
    notes: z.string().optional(),
    reason: z.string().optional().describe('Why it was cancelled'),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Appointment');

export const AppointmentListSchema = listOf(AppointmentSchema).openapi('AppointmentList');

export const ListAppointmentsQuerySchema = ListQuerySchema.extend({
  staffId: UlidSchema.optional(),
  from: TimestampSchema.optional().describe('Appointments that end after this time'),
  to: TimestampSchema.optional().describe('Appointments that start before this time'),
  status: AppointmentStatusSchema.optional(),
})
  .strict()
  .refine((query) => !query.from || !query.to || query.from < query.to, {
    message: 'to must be after from',
    path: ['to'],
  });

export const AppointmentIdParamsSchema = z.object({ id: UlidSchema }).strict();

export type CreateAppointmentInput = z.output<typeof CreateAppointmentBodySchema>;
export type UpdateAppointmentInput = z.output<typeof UpdateAppointmentBodySchema>;
export type Appointment = z.output<typeof AppointmentSchema>;
export type AppointmentStatus = z.output<typeof AppointmentStatusSchema>;
export type AppointmentListQuery = ListFilters<typeof ListAppointmentsQuerySchema>;
export type CancelAppointmentInput = z.output<typeof CancelAppointmentBodySchema>;
