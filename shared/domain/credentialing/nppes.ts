/**
 * The NPPES NPI Registry as a primary source: the staff member's NPI looked up by number
 * (API 2.1), then compared with the file: the person's name, an active individual (NPI-1)
 * enumeration, and every active licence the file names with a state and number listed among the
 * NPI's taxonomies. Any difference makes a `no_match` naming the fields.
 */

import * as z from 'zod';
import { RuleViolation } from '../errors.ts';
import '../zod-openapi.ts';
import type { CheckSubject, Difference, PrimarySource, SourceAnswer } from './sources.ts';

export const NPPES_SOURCE_REF = 'NPPES NPI Registry API 2.1';

/** The registry's raw answer to a lookup by number. */
export interface NppesRegistry {
  byNumber(npi: string): Promise<string>;
}

const NppesAnswerSchema = z.object({
  result_count: z.number().int(),
  results: z.array(
    z.object({
      number: z.string(),
      enumeration_type: z.string(),
      basic: z.object({
        first_name: z.string().optional(),
        last_name: z.string().optional(),
        status: z.string(),
      }),
      taxonomies: z.array(
        z.object({
          code: z.string(),
          desc: z.string(),
          primary: z.boolean(),
          state: z.string().nullable().optional(),
          license: z.string().nullable().optional(),
        }),
      ),
    }),
  ),
});

type NppesResult = z.infer<typeof NppesAnswerSchema>['results'][number];

/** Case, accents and punctuation do not make a name differ. */
const normalized = (text: string | undefined) =>
  (text ?? '')
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const licenceKey = (state: string | null | undefined, number: string | null | undefined) =>
  `${normalized(state ?? '')}:${normalized(number ?? '').replace(/ /g, '')}`;

const differencesOf = (subject: CheckSubject, found: NppesResult): Difference[] => {
  const differences: Difference[] = [];
  const words = normalized(subject.profile.name).split(' ');
  const sourceName = `${found.basic.first_name ?? ''} ${found.basic.last_name ?? ''}`.trim();
  if (words[0] !== normalized(found.basic.first_name) || words.at(-1) !== normalized(found.basic.last_name)) {
    differences.push({ field: 'name', profileValue: subject.profile.name, sourceValue: sourceName });
  }
  if (found.basic.status !== 'A') {
    differences.push({ field: 'status', profileValue: 'A', sourceValue: found.basic.status });
  }
  if (found.enumeration_type !== 'NPI-1') {
    differences.push({
      field: 'enumerationType',
      profileValue: 'NPI-1',
      sourceValue: found.enumeration_type,
    });
  }
  const listed = new Set(found.taxonomies.map((taxonomy) => licenceKey(taxonomy.state, taxonomy.license)));
  for (const credential of subject.activeCredentials) {
    if (!credential.jurisdiction || !credential.number) continue;
    if (listed.has(licenceKey(credential.jurisdiction, credential.number))) continue;
    differences.push({
      field: `taxonomies.license (${credential.type}, ${credential.jurisdiction})`,
      profileValue: credential.number,
      sourceValue: null,
    });
  }
  return differences;
};

export const createNppesSource = (registry: NppesRegistry): PrimarySource => ({
  source: 'nppes',
  method: 'api',
  check: async (subject): Promise<SourceAnswer> => {
    const npi = subject.profile.npi;
    if (!npi) throw new RuleViolation('The staff member has no NPI to check', { missing: ['npi'] });
    const snapshot = await registry.byNumber(npi);
    const parsed = NppesAnswerSchema.safeParse(JSON.parse(snapshot));
    const found = parsed.success ? parsed.data.results.find((result) => result.number === npi) : undefined;
    if (!found) {
      return {
        result: 'no_match',
        sourceRef: NPPES_SOURCE_REF,
        differences: [{ field: 'npi', profileValue: npi, sourceValue: null }],
        snapshot,
      };
    }
    const differences = differencesOf(subject, found);
    return differences.length === 0
      ? { result: 'match', sourceRef: NPPES_SOURCE_REF, snapshot }
      : { result: 'no_match', sourceRef: NPPES_SOURCE_REF, differences, snapshot };
  },
});
