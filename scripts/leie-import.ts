/**
 * `npm run leie:import -- <UPDATED.csv> [--month YYYY-MM]`: imports one month of the OIG LEIE.
 * The whole file is validated first (a renamed column or a malformed row names row and column,
 * and nothing is written); the rows go in by month, and matching reads the new month only once
 * every batch is in. Importing the same month's file again changes nothing. Against the twin
 * `npm start` runs (its `.data/twin.json`), or the deployment the environment names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import { LeieFileInvalid } from '#domain/credentialing/leie-file.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { month: { type: 'string' } } });
const [file] = positionals;
if (!file) {
  console.error('usage: npm run leie:import -- <UPDATED.csv> [--month YYYY-MM]');
  process.exit(2);
}

const twinFile = join(process.env.SHIFTLINE_DATA_DIR ?? '.data', 'twin.json');
if (existsSync(twinFile)) {
  Object.assign(
    process.env,
    (JSON.parse(readFileSync(twinFile, 'utf8')) as { env: Record<string, string> }).env,
  );
}
// The repositories read their settings at load: the environment is set first.
const { exclusionRepository } = await import('#data/leie.ts');
const { createLeieImporter } = await import('#domain/credentialing/leie.ts');

const now = new Date();
try {
  const result = await createLeieImporter(exclusionRepository).importFile(
    { actor: SYSTEM_ACTOR, now, requestId: `leie-import-${now.toISOString()}` },
    readFileSync(file, 'utf8'),
    values.month,
  );
  console.log(JSON.stringify(result));
} catch (error) {
  if (!(error instanceof LeieFileInvalid)) throw error;
  console.error(error.message);
  process.exit(1);
}
