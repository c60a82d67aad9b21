/**
 * Bundle size and cold import time of every function, bundled exactly as the stack bundles it
 * (minified ESM, @aws-sdk/client-* external — what ships to Lambda).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_TARGET, ESM_REQUIRE_BANNER, EXTERNAL_MODULES, MAIN_FIELDS } from '../infra/bundling.ts';
import {
  type FunctionDefinition,
  HTTP_FUNCTIONS,
  SCHEDULED_FUNCTIONS,
  STREAM_CONSUMERS,
  TRIGGER_FUNCTIONS,
  WS_FUNCTIONS,
} from '../shared/functions.ts';

const ROOT = resolve(import.meta.dirname, '..');
const IMPORT_RUNS = 5;

export interface BundleFigure {
  name: string;
  entry: string;
  bytes: number;
  importMsMedian: number;
  importMsMin: number;
}

export const allFunctions = (): Array<[string, FunctionDefinition]> => [
  ...Object.entries(HTTP_FUNCTIONS).map(([name, d]): [string, FunctionDefinition] => [`http/${name}`, d]),
  ...Object.entries(WS_FUNCTIONS).map(([name, d]): [string, FunctionDefinition] => [`ws/${name}`, d]),
  ...Object.entries(TRIGGER_FUNCTIONS).map(([name, d]): [string, FunctionDefinition] => [
    `trigger/${name}`,
    d,
  ]),
  ...Object.entries(STREAM_CONSUMERS).map(([name, d]): [string, FunctionDefinition] => [`stream/${name}`, d]),
  ...Object.entries(SCHEDULED_FUNCTIONS).map(([name, d]): [string, FunctionDefinition] => [
    `schedule/${name}`,
    d,
  ]),
];

export const bundleFunction = async (definition: FunctionDefinition, outDir: string) => {
  const outfile = join(outDir, 'index.mjs');
  await build({
    entryPoints: [join(ROOT, definition.entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    mainFields: MAIN_FIELDS,
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    external: EXTERNAL_MODULES,
    logLevel: 'error',
  });
  return outfile;
};

/** A cold import in a fresh Node process (module load + module-scope init, as a cold start). */
const importMs = (outfile: string): number => {
  const script = `const t=performance.now();await import(${JSON.stringify(outfile)});console.log(performance.now()-t)`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...LAMBDA_LIKE_ENV },
  });
  if (run.status !== 0) throw new Error(`import of ${outfile} failed: ${run.stderr}`);
  return Number(run.stdout.trim());
};

/** The settings the stack gives every function, with placeholder values: module init reads them. */
const LAMBDA_LIKE_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  MAIN_TABLE_NAME: 'bench-main',
  LEDGER_TABLE_NAME: 'bench-ledger',
  DOCUMENTS_BUCKET_NAME: 'bench-documents',
  USER_POOL_ID: 'us-east-1_bench',
  USER_POOL_CLIENT_ID: 'bench-client',
  JWT_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench',
  WS_MANAGEMENT_ENDPOINT: 'https://bench.execute-api.us-east-1.amazonaws.com/live',
  SERVICE_VERSION: 'bench',
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export const measureBundles = async (): Promise<BundleFigure[]> => {
  const figures: BundleFigure[] = [];
  for (const [name, definition] of allFunctions()) {
    // Inside the project, so the bundle resolves the external @aws-sdk clients as Lambda's runtime would.
    const outDir = join(ROOT, '.data', 'bench', 'bundles', name.replace('/', '-'));
    mkdirSync(outDir, { recursive: true });
    const outfile = await bundleFunction(definition, outDir);
    const times = Array.from({ length: IMPORT_RUNS }, () => importMs(outfile));
    figures.push({
      name,
      entry: definition.entry,
      bytes: statSync(outfile).size,
      importMsMedian: median(times),
      importMsMin: Math.min(...times),
    });
  }
  return figures;
};
