/**
 * POST /staff/search's index (shared/data/entities/staff-search.ts): the term items written in
 * the same transaction as the profile or credential they stand for, and the Queries that read
 * them (never a Scan).
 */
import type { StaffSearchIndex } from '#domain/staff/ports.ts';
import type { SearchTerm } from '#domain/staff/search-terms.ts';
import { nameBucket } from '#domain/staff/search-terms.ts';
import { type StoredSearchTerm, staffSearchTermEntity } from './entities/staff-search.ts';
import type { TransactItem } from './transact.ts';

const keyOf = (term: SearchTerm) => `${term.field}#${term.bucket}#${term.value}#${term.staffId}`;

/**
 * The writes that take an item's terms from `previous` to `next`: stale terms deleted, the
 * others put (unconditionally: a term is derived data, and a backfill may repeat it).
 */
export const termWrites = (previous: readonly SearchTerm[], next: readonly SearchTerm[]): TransactItem[] => {
  const kept = new Set(next.map(keyOf));
  return [
    ...previous
      .filter((term) => !kept.has(keyOf(term)))
      .map((term) => staffSearchTermEntity.ops.remove(term)),
    ...next.map((term) => staffSearchTermEntity.ops.put(term, [])),
  ];
};

const staffIdsOf = (terms: readonly StoredSearchTerm[]) => [...new Set(terms.map((term) => term.staffId))];

export const staffSearchIndex: StaffSearchIndex = {
  byNpi: async (npi) => staffIdsOf(await staffSearchTermEntity.all.primary({ field: 'NPI', bucket: npi })),

  byLicence: async (number) =>
    staffIdsOf(await staffSearchTermEntity.all.primary({ field: 'LIC', bucket: number })),

  // One partition per first two characters; the words starting with the prefix are one range.
  byNamePrefix: (prefix, page) =>
    staffSearchTermEntity.query.primary(
      { field: 'NAME', bucket: nameBucket(prefix) },
      { ...page, where: { between: [{ value: prefix }, { value: `${prefix}\uffff` }] } },
    ) as ReturnType<StaffSearchIndex['byNamePrefix']>,
};
