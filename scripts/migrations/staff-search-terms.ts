/**
 * Migration (CHANGELOG "POST /staff/search"): profiles and credentials written before the
 * search index get their `StaffSearchTerm` items (name words, NPI, licence numbers). Idempotent:
 * it writes only terms that are missing, so a partial run is finished by running it again.
 *
 * `node scripts/migrations/staff-search-terms.ts` with the functions' environment
 * (MAIN_TABLE_NAME, AWS credentials); against the twin it reads
 * `<SHIFTLINE_DATA_DIR>/twin.json` (default .data) as `npm run redrive` does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const loadTwinEnvironment = () => {
  const twinFile = join(resolve(process.env.SHIFTLINE_DATA_DIR ?? '.data'), 'twin.json');
  if (!existsSync(twinFile)) return;
  const { env = {} } = JSON.parse(readFileSync(twinFile, 'utf8')) as { env?: Record<string, string> };
  for (const [key, value] of Object.entries(env)) process.env[key] ??= value;
};

export const migrateStaffSearchTerms = async (): Promise<{ profiles: number; terms: number }> => {
  // Imported once the environment is set: the data modules read it when first used.
  const { staffProfileEntity } = await import('#data/entities/staff.ts');
  const { staffSearchTermEntity } = await import('#data/entities/staff-search.ts');
  const { credentialEntity } = await import('#data/entities/credentials.ts');
  const { credentialTerms, profileTerms } = await import('#domain/staff/search-terms.ts');

  const keyOf = (term: { field: string; bucket: string; value: string; staffId: string }) =>
    `${term.field}#${term.bucket}#${term.value}#${term.staffId}`;
  let profiles = 0;
  let written = 0;
  let position: Record<string, unknown> | undefined;
  do {
    const page = await staffProfileEntity.query.all({}, { limit: 50, position });
    for (const profile of page.items) {
      profiles += 1;
      const credentials = await credentialEntity.all.byStaff({ staffId: profile.id });
      const terms = [...profileTerms(profile), ...credentials.flatMap(credentialTerms)];
      const present = new Set((await staffSearchTermEntity.getMany(terms)).map(keyOf));
      for (const term of terms.filter((one) => !present.has(keyOf(one)))) {
        await staffSearchTermEntity.put(term, []);
        written += 1;
      }
    }
    position = page.next;
  } while (position !== undefined);
  return { profiles, terms: written };
};

if (import.meta.main) {
  loadTwinEnvironment();
  const { profiles, terms } = await migrateStaffSearchTerms();
  console.log(`staff-search-terms: ${profiles} profile(s) read, ${terms} search term(s) written`);
}
