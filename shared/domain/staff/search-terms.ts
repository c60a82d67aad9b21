/**
 * What `POST /staff/search` finds a staff member by, reduced to the text stored in index items:
 * each word of the name (case and accents folded, so "José" is found by "jose" and "JOS"), the
 * NPI, and each credential's licence number (upper case, letters and digits only).
 */

/** Names' words: letters and digits after folding; everything else separates words. */
export const nameWords = (name: string): string[] => {
  const folded = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
  return [...new Set(folded)];
};

/** A licence number as keys hold it: "rn-123 456" and "RN123456" are the same licence. */
export const licenceKey = (number: string): string => number.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Name terms share a partition per first two characters (a one-letter word is its own). */
export const nameBucket = (word: string): string => word.slice(0, 2);

/** Words of a name indexed, at most: a profile's terms stay within one transaction (100 items). */
export const MAX_NAME_WORDS = 20;

/** The search terms one profile or credential stands for. */
export type SearchTerm =
  | { field: 'NAME'; bucket: string; value: string; staffId: string; words: string[] }
  | { field: 'NPI' | 'LIC'; bucket: string; value: string; staffId: string };

/** A profile's terms: one per distinct name word, one for its NPI. */
export const profileTerms = (profile: { id: string; name: string; npi?: string }): SearchTerm[] => {
  const words = nameWords(profile.name).slice(0, MAX_NAME_WORDS);
  return [
    ...words.map((word) => ({
      field: 'NAME' as const,
      bucket: nameBucket(word),
      value: word,
      staffId: profile.id,
      words,
    })),
    ...(profile.npi === undefined
      ? []
      : [{ field: 'NPI' as const, bucket: profile.npi, value: 'PROFILE', staffId: profile.id }]),
  ];
};

/** A credential's term, when it has a licence number with letters or digits in it. */
export const credentialTerms = (credential: {
  id: string;
  staffId: string;
  number?: string;
}): SearchTerm[] => {
  const number = credential.number === undefined ? '' : licenceKey(credential.number);
  return number === ''
    ? []
    : [{ field: 'LIC', bucket: number, value: credential.id, staffId: credential.staffId }];
};

/**
 * A name term answers a prefix query only as the first of its profile's words that the prefix
 * starts (terms sort by word), so a profile appears once even when two of its words match.
 */
export const firstMatchingWord = (
  term: { value: string; words: readonly string[] },
  prefix: string,
): boolean => !term.words.some((word) => word < term.value && word.startsWith(prefix));

/** What a query may be: 10 digits may be an NPI; any text a licence number and name words. */
export const queryParts = (q: string) => {
  const words = nameWords(q);
  const trimmed = q.trim();
  return {
    npi: /^\d{10}$/.test(trimmed) ? trimmed : undefined,
    licence: licenceKey(trimmed) || undefined,
    words,
  };
};
