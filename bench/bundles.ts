/**
 * Bundle size and cold import time of every function, bundled exactly as the stack bundles it
 * (minified ESM, @aws-sdk/* external — what ships to Lambda).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import {
  BUNDLE_TARGET,
  CHUNK_NAMES,
  ESM_REQUIRE_BANNER,
  EXTERNAL_MODULES,
  MAIN_FIELDS,
} from '../infra/bundling.ts';
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
  /** What a cold start loads: the entry and the chunks it imports statically. */
  bytes: number;
  /** Everything shipped, chunks loaded on first use included (more than `bytes` when split). */
  totalBytes: number;
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

/** The entry's size plus the chunks it imports statically (split bundles load the rest later). */
const loadedAtImport = (metafile: Metafile, entry: string): { bytes: number; totalBytes: number } => {
  const outputs = metafile.outputs;
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file) || outputs[file] === undefined) return;
    loaded.add(file);
    for (const imported of outputs[file].imports)
      if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  const sizeOf = (file: string) => statSync(resolve(ROOT, file)).size;
  const code = Object.keys(outputs).filter((file) => !file.endsWith('.map'));
  return {
    bytes: [...loaded].reduce((sum, file) => sum + sizeOf(file), 0),
    totalBytes: code.reduce((sum, file) => sum + sizeOf(file), 0),
  };
};

export const bundleFunction = async (definition: FunctionDefinition, outDir: string) => {
  const outfile = join(outDir, 'index.mjs');
  const { metafile } = await build({
    entryPoints: { index: join(ROOT, definition.entry) },
    ...(definition.splitting
      ? { outdir: outDir, splitting: true, chunkNames: CHUNK_NAMES, outExtension: { '.js': '.mjs' } }
      : { outfile }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    mainFields: MAIN_FIELDS,
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    external: EXTERNAL_MODULES,
    logLevel: 'error',
    metafile: true,
    absWorkingDir: ROOT,
  });
  return { outfile, ...loadedAtImport(metafile, relative(ROOT, outfile)) };
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
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const { outfile, bytes, totalBytes } = await bundleFunction(definition, outDir);
    const times = Array.from({ length: IMPORT_RUNS }, () => importMs(outfile));
    figures.push({
      name,
      entry: definition.entry,
      bytes,
      totalBytes,
      importMsMedian: median(times),
      importMsMin: Math.min(...times),
    });
  }
  return figures;
};
