import type { SearchTerm } from '#domain/staff/search-terms.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

/** A search term as stored; name terms carry all the profile's words (to answer a profile once). */
export type StoredSearchTerm = SearchTerm & { words?: string[] };

/**
 * `SEARCH#<field>#<bucket>` / `<value>#<staffId>`, on the base table (Query only):
 * name words `SEARCH#NAME#<first 2 chars>` / `<word>#<staffId>` (a prefix is a range of one
 * partition, sorted by word); `SEARCH#NPI#<npi>` / `PROFILE#<staffId>`;
 * `SEARCH#LIC#<number>` / `<credentialId>#<staffId>`.
 */
export const staffSearchTermEntity = defineEntity<StoredSearchTerm>()({
  kind: ITEM_KINDS.staffSearchTerm,
  primary: {
    pk: { prefix: PREFIX.staffSearch, fields: ['field', 'bucket'] },
    sk: { fields: ['value', 'staffId'] },
  },
});
