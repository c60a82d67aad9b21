/** The `staff` function: staff profiles. */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createStaffService } from '#domain/staff/service.ts';
import { etagHeader, httpFunction } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { serviceContextOf } from '#runtime/service-context.ts';

const staff = createStaffService({
  profiles: staffProfileRepository,
  users: cognitoIdentity,
  accessEvents: accessEventRepository,
});

const withEtag = <T extends { version: number }>(status: number, profile: T) => ({
  status,
  headers: etagHeader(profile.version),
  body: profile,
});

export const handler = httpFunction('staff', {
  createStaffProfile: async (input) => withEtag(201, await staff.create(serviceContextOf(input), input.body)),

  listStaffProfiles: async (input) => {
    const filters = { specialty: input.query.specialty, active: input.query.active };
    return pagedList(input, filters, (page) => staff.list(serviceContextOf(input), filters, page));
  },

  getStaffProfile: async (input) => withEtag(200, await staff.get(serviceContextOf(input), input.params.id)),

  updateStaffProfile: async (input) =>
    withEtag(200, await staff.update(serviceContextOf(input), input.params.id, input.ifMatch, input.body)),
});
