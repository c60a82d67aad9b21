/** The staff profile service wired to its adapters, once: the staff function, GraphQL and offline sync. */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { staffSearchIndex } from '#data/staff-search.ts';
import { createStaffSearch } from '#domain/staff/search.ts';
import { createStaffService } from '#domain/staff/service.ts';

export const staffService = /* @__PURE__ */ createStaffService({
  profiles: staffProfileRepository,
  users: cognitoIdentity,
  accessEvents: accessEventRepository,
});

/** POST /staff/search over the term items written with profiles and credentials. */
export const staffSearch = /* @__PURE__ */ createStaffSearch({
  profiles: staffProfileRepository,
  index: staffSearchIndex,
});
