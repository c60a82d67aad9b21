/**
 * `npm run build`: tsc, then the generated declaration files beside what it emitted. tsc never
 * copies a `.d.ts` from the sources, yet `graphql.d.ts` imports `generated/graphql-env.d.ts`
 * (gql.tada's introspection, a declaration file so editors read it without checking it).
 * Arguments go to tsc (the build test passes `--outDir`).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const CLIENT = resolve(import.meta.dirname, '..');
const GENERATED = resolve(CLIENT, 'src/generated');

const args = process.argv.slice(2);
const outDirAt = args.indexOf('--outDir');
const outDir = outDirAt === -1 ? resolve(CLIENT, 'dist') : resolve(String(args[outDirAt + 1]));

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', resolve(CLIENT, 'tsconfig.json'), ...args], { stdio: 'inherit' });
for (const name of readdirSync(GENERATED).filter((file) => file.endsWith('.d.ts')))
  copyFileSync(resolve(GENERATED, name), resolve(outDir, 'generated', name));
