/**
 * Bundle size and cold import time of every function, bundled exactly as the stack bundles it
 * (minified ESM, @aws-sdk/* external — what ships to Lambda).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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
import { type CpuProfile, timeByNearestFrame } from './profile-summary.ts';

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
  /** One more cold import under the CPU profiler, its busy time by what ran. */
  importProfile: ImportProfile;
}

/** Milliseconds of a profiled cold import's busy time: the SDK (external), the bundle's own code, Node and V8. */
export interface ImportProfile {
  sdkMs: number;
  bundleMs: number;
  nodeMs: number;
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

/** Samples every 100 µs: a cold import lasts about a hundred milliseconds. */
const PROFILE_INTERVAL_US = 100;

/** One cold import under `--cpu-prof`: where its time went (the profiler adds to it). */
const profileImport = (outfile: string, profileDir: string): ImportProfile => {
  mkdirSync(profileDir, { recursive: true });
  const run = spawnSync(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${profileDir}`,
      `--cpu-prof-interval=${PROFILE_INTERVAL_US}`,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(outfile)})`,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...LAMBDA_LIKE_ENV } },
  );
  if (run.status !== 0) throw new Error(`profiled import of ${outfile} failed: ${run.stderr}`);
  const written = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!written) throw new Error(`no CPU profile in ${profileDir}`);
  const profile = JSON.parse(readFileSync(join(profileDir, written), 'utf8')) as CpuProfile;
  const bundleDir = pathToFileURL(join(outfile, '..')).href;
  const times = timeByNearestFrame(
    profile,
    (url) =>
      /node_modules\/@(aws-sdk|smithy|aws-crypto)\//.test(url)
        ? 'sdk'
        : url.startsWith(bundleDir)
          ? 'bundle'
          : undefined,
    'node',
  );
  return { sdkMs: times.get('sdk') ?? 0, bundleMs: times.get('bundle') ?? 0, nodeMs: times.get('node') ?? 0 };
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
      importProfile: profileImport(outfile, join(outDir, 'profile')),
    });
  }
  return figures;
};

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** RESULTS.md's bundle tables: sizes and cold imports, and where a profiled cold import's time goes. */
export const bundleTables = (bundles: readonly BundleFigure[]): string[] => [
  '| function | entry | bundle | cold import (median) | cold import (best) |',
  '|---|---|---:|---:|---:|',
  ...bundles.map(
    (figure) =>
      `| ${figure.name} | \`${figure.entry}\` | ${kb(figure.bytes)}${figure.totalBytes > figure.bytes ? ` (${kb(figure.totalBytes)} with the chunks loaded on first use)` : ''} | ${ms(figure.importMsMedian)} | ${ms(figure.importMsMin)} |`,
  ),
  '',
  `Where a cold import's time goes: one more import of each bundle under V8's CPU profiler (a sample every`,
  `${PROFILE_INTERVAL_US} µs; the profiler adds to the total), its busy time by what ran: the SDK packages Lambda`,
  "ships (loaded from the runtime: their module-scope code and Node's loading and compiling of the modules they",
  "require), the function's own bundle (our code with zod, middy and Powertools, module-scope work included),",
  'and the rest (Node and V8: loading the bundle and the first SDK modules, GC). Each sample counts for the',
  'nearest of the two on its stack. The SDK share is the floor no change to the bundle moves.',
  '',
  '| function | SDK | own bundle | Node and V8 | profiled total |',
  '|---|---:|---:|---:|---:|',
  ...bundles.map(({ name, importProfile: p }) => {
    const total = p.sdkMs + p.bundleMs + p.nodeMs;
    return `| ${name} | ${ms(p.sdkMs)} | ${ms(p.bundleMs)} | ${ms(p.nodeMs)} | ${ms(total)} |`;
  }),
  '',
];
