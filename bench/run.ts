/**
 * `npm run bench`: runs every benchmark and rewrites bench/RESULTS.md with the figures.
 * Figures come from this machine; FACTS.md has the raw DynamoDB Local ceilings and the peer.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { measureBundles } from './bundles.ts';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const bundles = await measureBundles();
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;

const lines = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} — ${machine}.`,
  'Every figure is measured on the real code path; nothing is cached or skipped for the bench.',
  '',
  '## Function bundles',
  '',
  'Each function bundled exactly as the stack bundles it (esbuild, minified ESM, `@aws-sdk/client-*`',
  "external because Lambda's `nodejs24.x` runtime ships them). Cold import: a fresh Node process",
  'importing the bundle (module load and module-scope initialisation, as in a cold start), median',
  'and best of 5. Lambda adds its own sandbox start on top.',
  '',
  '| function | entry | bundle | cold import (median) | cold import (best) |',
  '|---|---|---:|---:|---:|',
  ...bundles.map(
    (figure) =>
      `| ${figure.name} | \`${figure.entry}\` | ${kb(figure.bytes)} | ${figure.importMsMedian.toFixed(1)} ms | ${figure.importMsMin.toFixed(1)} ms |`,
  ),
  '',
];

writeFileSync(resolve(import.meta.dirname, 'RESULTS.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
