import { FhirBundleSchema } from '#domain/schemas/fhir.ts';
import {
  CreateStaffProfileBodySchema,
  ListStaffQuerySchema,
  StaffIdParamsSchema,
  StaffProfileListSchema,
  StaffProfileSchema,
  UpdateStaffProfileBodySchema,
} from '#domain/schemas/staff.ts';
import { StaffSearchBodySchema, StaffSearchListSchema } from '#domain/schemas/staff-search.ts';
import type { RouteDefinition } from '../routes.ts';
import { performs } from './access.ts';

const tag = 'Staff profiles';

export const STAFF_ROUTES = [
  {
    method: 'POST',
    path: '/staff',
    operationId: 'createStaffProfile',
    summary: "Creates a user's staff profile (one per user)",
    tag,
    fn: 'staff',
    ...performs('StaffProfile', 'create'),
    request: { body: CreateStaffProfileBodySchema, idempotent: true },
    responses: { 201: { description: 'Created', schema: StaffProfileSchema } },
    problems: [409, 422],
  },
  {
    method: 'GET',
    path: '/staff',
    operationId: 'listStaffProfiles',
    summary: 'Lists staff profiles, active first; by specialty and activity',
    tag,
    fn: 'staff',
    ...performs('StaffProfile', 'list'),
    request: { query: ListStaffQuerySchema },
    responses: {
      200: { description: 'A page of profiles (never with dates of birth)', schema: StaffProfileListSchema },
    },
  },
  {
    method: 'GET',
    path: '/staff/{id}',
    operationId: 'getStaffProfile',
    summary: 'A staff profile; a date of birth read by anyone but its owner is audited',
    tag,
    fn: 'staff',
    ...performs('StaffProfile', 'read'),
    request: { params: StaffIdParamsSchema },
    responses: { 200: { description: 'The profile', schema: StaffProfileSchema } },
  },
  {
    method: 'GET',
    path: '/staff/{id}/fhir',
    operationId: 'getStaffFhir',
    summary:
      "The staff member's file as a FHIR R4 Bundle (Practitioner, PractitionerRole); every export is audited",
    tag,
    fn: 'staff',
    ...performs('StaffProfile', 'read'),
    request: { params: StaffIdParamsSchema },
    responses: { 200: { description: 'The FHIR R4 Bundle', schema: FhirBundleSchema } },
  },
  {
    method: 'PATCH',
    path: '/staff/{id}',
    operationId: 'updateStaffProfile',
    summary: 'Changes a staff profile; the owner may change name, phone and specialty',
    tag,
    fn: 'staff',
    ...performs('StaffProfile', 'update'),
    request: { params: StaffIdParamsSchema, body: UpdateStaffProfileBodySchema, ifMatch: true },
    responses: { 200: { description: 'The changed profile', schema: StaffProfileSchema } },
  },
  {
    method: 'POST',
    path: '/staff/search',
    operationId: 'searchStaff',
    summary:
      'Finds staff members by a name prefix, an exact NPI or an exact licence number (in a body: never in URLs); exact matches first',
    tag,
    fn: 'staff',
    ...performs('StaffProfile', 'list'),
    request: { body: StaffSearchBodySchema },
    responses: {
      200: {
        description: 'A page of summaries (name, specialty, activity, credentialing status: no PHI)',
        schema: StaffSearchListSchema,
      },
    },
  },
] as const satisfies readonly RouteDefinition[];
