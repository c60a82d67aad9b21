/** The `staff` function: staff profiles. */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createStaffService } from '#domain/staff/service.ts';
import { httpFunction } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { versionedItemOperations } from '#runtime/versioned-items.ts';

const staff = createStaffService({
  profiles: staffProfileRepository,
  users: cognitoIdentity,
  accessEvents: accessEventRepository,
});
const profile = versionedItemOperations(staff);

export const handler = httpFunction('staff', {
  createStaffProfile: profile.create,
  getStaffProfile: profile.get,
  updateStaffProfile: profile.update,

  listStaffProfiles: async (input) =>
    pagedList(input, (page, filters) => staff.list(input.context, filters, page)),
});
