/** The `staff` function: staff profiles. */
import { accessEventRepository } from '#data/access-events.ts';
import { credentialRepository } from '#data/credentials.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createFhirExport } from '#domain/fhir/export.ts';
import type { StaffSearchResult } from '#domain/schemas/staff-search.ts';
import type { SearchPosition } from '#domain/staff/search.ts';
import { httpFunction, type Operations } from '#runtime/http.ts';
import { withIdempotency } from '#runtime/idempotent-routes.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { versionedItemOperations } from '#runtime/versioned-items.ts';
import { STAFF_ROUTES } from '#shared/routes/staff.ts';

import { staffSearch, staffService } from '#shared/services/staff.ts';

/** Also read by the GraphQL function (staff summaries of contracts). */
export const staff = staffService;
const profile = versionedItemOperations(staff);
const fhir = createFhirExport({
  profiles: staffProfileRepository,
  credentials: credentialRepository,
  accessEvents: accessEventRepository,
});

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'staff'> = {
  createStaffProfile: profile.create,
  getStaffProfile: profile.get,
  updateStaffProfile: profile.update,

  getStaffFhir: async ({ context, params }) => ({
    status: 200,
    body: await fhir.practitioner(context, params.id),
  }),

  listStaffProfiles: async (input) =>
    pagedList(input, (page, filters) => staff.list(input.context, filters, page)),

  // The body is the list's query: its cursor is bound to the caller and `q` as every list's is.
  searchStaff: async (input) =>
    pagedList<typeof input.body, StaffSearchResult, SearchPosition>(
      { ...input, query: input.body },
      (page, filters) => staffSearch.search(input.context, filters.q, page),
    ),
};

export const handler = httpFunction(STAFF_ROUTES, operations, withIdempotency);
