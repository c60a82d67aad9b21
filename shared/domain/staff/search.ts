/**
 * POST /staff/search: exact matches (an NPI, a licence number) first, then name prefixes in word
 * order, read through the term items only. A result is a summary (no date of birth, NPI, phone
 * or licence): recruiters see who it is and the credentialing status, as lists show them.
 */
import type { ServiceContext } from '../context.ts';
import { NCQA_CYCLE, statusAt } from '../credentialing/cycle.ts';
import type { Page, PageRequest } from '../page.ts';
import { authorize } from '../policy.ts';
import type { StaffSearchResult } from '../schemas/staff-search.ts';
import type { StaffProfileRepository, StaffSearchIndex } from './ports.ts';
import { firstMatchingWord, queryParts } from './search-terms.ts';

/** Where a search page goes on: how many exact matches were shown, and after which name term. */
export interface SearchPosition {
  exactShown: number;
  names?: Record<string, unknown>;
}

interface StaffSearchDeps {
  profiles: Pick<StaffProfileRepository, 'getMany'>;
  index: StaffSearchIndex;
}

type Match = { staffId: string; matchedBy: StaffSearchResult['matchedBy'] };

/** The longest word of the query (two characters or more) picks the partition read. */
const leadingWord = (words: readonly string[]) =>
  [...words].filter((word) => word.length >= 2).sort((left, right) => right.length - left.length)[0];

export const createStaffSearch = ({ profiles, index }: StaffSearchDeps) => {
  const exactMatches = async (q: string): Promise<Match[]> => {
    const parts = queryParts(q);
    const [byNpi, byLicence] = await Promise.all([
      parts.npi === undefined ? [] : index.byNpi(parts.npi),
      parts.licence === undefined ? [] : index.byLicence(parts.licence),
    ]);
    const matches = [
      ...byNpi.map((staffId) => ({ staffId, matchedBy: 'npi' as const })),
      ...byLicence.map((staffId) => ({ staffId, matchedBy: 'licence' as const })),
    ];
    return matches.filter(
      (match, at) => matches.findIndex((other) => other.staffId === match.staffId) === at,
    );
  };

  /** A page of name matches: every query word starts a word of the name; each profile once. */
  const nameMatches = async (q: string, page: PageRequest, exclude: ReadonlySet<string>) => {
    const words = queryParts(q).words;
    const leading = leadingWord(words);
    if (leading === undefined || page.limit === 0) return { items: [] as Match[], next: undefined };
    const terms = await index.byNamePrefix(leading, page);
    const items = terms.items
      .filter((term) => {
        const own = term.words ?? [term.value];
        return (
          firstMatchingWord({ value: term.value, words: own }, leading) &&
          words.every((word) => own.some((candidate) => candidate.startsWith(word))) &&
          !exclude.has(term.staffId)
        );
      })
      .map((term) => ({ staffId: term.staffId, matchedBy: 'name' as const }));
    return { items, next: terms.next };
  };

  const summaries = async (context: ServiceContext, matches: readonly Match[]) => {
    const found = new Map(
      (await profiles.getMany(matches.map((match) => match.staffId))).map((profile) => [profile.id, profile]),
    );
    return matches.flatMap(({ staffId, matchedBy }): StaffSearchResult[] => {
      const profile = found.get(staffId);
      if (profile === undefined) return [];
      return [
        {
          id: profile.id,
          name: profile.name,
          ...(profile.specialty === undefined ? {} : { specialty: profile.specialty }),
          isActive: profile.isActive,
          credentialingStatus: statusAt(
            profile.credentialingStatus,
            profile.recredentialDueAt,
            context.now,
            NCQA_CYCLE,
          ),
          matchedBy,
        },
      ];
    });
  };

  return {
    /** The first page carries every exact match (there are few), then fills up with names. */
    search: async (
      context: ServiceContext,
      q: string,
      page: PageRequest<SearchPosition>,
    ): Promise<Page<StaffSearchResult, SearchPosition>> => {
      authorize(context.actor, 'list', { type: 'StaffProfile' });
      const exact = await exactMatches(q);
      const inExact = page.position?.names === undefined;
      const offset = page.position?.exactShown ?? 0;
      const shown = inExact ? exact.slice(offset, offset + page.limit) : [];
      const exactShown = offset + shown.length;
      const names = await nameMatches(
        q,
        { limit: page.limit - shown.length, position: page.position?.names },
        new Set(exact.map((match) => match.staffId)),
      );
      const more = exactShown < exact.length || leadingWord(queryParts(q).words) !== undefined;
      const next: SearchPosition | undefined =
        names.next !== undefined
          ? { exactShown, names: names.next }
          : inExact && shown.length === page.limit && more
            ? { exactShown }
            : undefined;
      return { items: await summaries(context, [...shown, ...names.items]), ...(next ? { next } : {}) };
    },
  };
};

export type StaffSearch = ReturnType<typeof createStaffSearch>;
