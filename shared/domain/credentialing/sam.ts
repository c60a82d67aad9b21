/**
 * SAM.gov exclusions (the Exclusions API, v4) as a primary source, off unless a deployment gives
 * it an API key: by NPI when the profile has one (any exclusion listing it → `match`), then by
 * name (a listed individual of the same first and last name → `suspected`: SAM has no date of
 * birth to confirm it), else `no_match`. Every answer received is kept as evidence.
 */
import { nameKeyOf } from './leie.ts';
import type { PrimarySource } from './sources.ts';

/** The API's answer as received (JSON text); DependencyUnavailable when it cannot be had. */
export interface SamExclusions {
  search(query: { npi: string } | { name: string }): Promise<string>;
}

interface SamAnswer {
  totalRecords?: number;
  excludedEntity?: Array<{
    exclusionIdentification?: { firstName?: string; lastName?: string; npi?: string | null };
  }>;
}

const listed = (body: string) => (JSON.parse(body) as SamAnswer).excludedEntity ?? [];

export const SAM_SOURCE_REF = 'SAM.gov Exclusions API v4';

export const createSamSource = (sam: SamExclusions): PrimarySource => ({
  source: 'sam',
  method: 'api',
  check: async ({ profile }) => {
    const answers: string[] = [];
    if (profile.npi) {
      const body = await sam.search({ npi: profile.npi });
      answers.push(body);
      const byNpi = listed(body).filter((entity) => entity.exclusionIdentification?.npi === profile.npi);
      if (byNpi.length > 0)
        return { result: 'match', sourceRef: `${SAM_SOURCE_REF} by NPI`, snapshot: `[${answers}]` };
    }
    const words = profile.name.trim().split(/\s+/);
    const wanted = nameKeyOf(words.at(-1) ?? '', words[0] ?? '');
    const body = await sam.search({ name: `${words[0] ?? ''} ${words.at(-1) ?? ''}` });
    answers.push(body);
    const byName = listed(body).filter(({ exclusionIdentification: who }) =>
      who?.lastName ? nameKeyOf(who.lastName, who.firstName ?? '') === wanted : false,
    );
    return {
      result: byName.length > 0 ? 'suspected' : 'no_match',
      sourceRef: `${SAM_SOURCE_REF} by ${profile.npi ? 'NPI and name' : 'name'}`,
      snapshot: `[${answers}]`,
    };
  },
});
