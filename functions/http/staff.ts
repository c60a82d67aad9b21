/** The `staff` function: staff profiles. */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createStaffService } from '#domain/staff/service.ts';
import { httpFunction, type Operations } from '#runtime/http.ts';
import { withIdempotency } from '#runtime/idempotent-routes.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { versionedItemOperations } from '#runtime/versioned-items.ts';
import { STAFF_ROUTES } from '#shared/routes/staff.ts';

/** Also read by the GraphQL function (staff summaries of contracts). */
export const staff = createStaffService({
  profiles: staffProfileRepository,
  users: cognitoIdentity,
  accessEvents: accessEventRepository,
});
const profile = versionedItemOperations(staff);

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'staff'> = {
  createStaffProfile: profile.create,
  getStaffProfile: profile.get,
  updateStaffProfile: profile.update,

  listStaffProfiles: async (input) =>
    pagedList(input, (page, filters) => staff.list(input.context, filters, page)),
};

export const handler = httpFunction(STAFF_ROUTES, operations, withIdempotency);
