/**
 * How every function is bundled, declared once: the CDK functions (infra/lambda.ts) and the
 * bundle benchmark (bench/bundles.ts) use the same options, so the bench measures what ships.
 */
export const BUNDLE_TARGET = 'node24';

// ESM bundles that pull in CommonJS dependencies need `require`.
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Lambda's nodejs24.x runtime ships the whole SDK v3 — the service clients and the helpers
 * (lib-dynamodb, util-dynamodb, s3-request-presigner) alike — so none of it is bundled: a helper
 * and the client it wraps then come from the same copy (docs/decisions.md "Cold starts and bundle
 * sizes"). CDK's own default for Node ≥ 18.
 */
export const EXTERNAL_MODULES = ['@aws-sdk/*'];

export const MAIN_FIELDS = ['module', 'main'];

/** Where a split bundle's chunks go, beside its `index.mjs`. */
export const CHUNK_NAMES = 'chunks/[name]-[hash]';

/**
 * The esbuild command of a split bundle (`FunctionDefinition.splitting`): the CDK's
 * NodejsFunction writes one `--outfile`, which code splitting cannot use, so the stack runs this
 * after it into the same directory (the entry stays `index.mjs`, its chunks under `chunks/`).
 */
export const splitBundleCommand = (esbuild: string, entry: string, outputDir: string): string =>
  [
    `"${esbuild}"`,
    `"${entry}"`,
    '--bundle',
    '--splitting',
    '--format=esm',
    '--platform=node',
    `--target=${BUNDLE_TARGET}`,
    `--outdir="${outputDir}"`,
    '--entry-names=index',
    `--chunk-names=${CHUNK_NAMES}`,
    '--out-extension:.js=.mjs',
    `--main-fields=${MAIN_FIELDS.join(',')}`,
    `--banner:js="${ESM_REQUIRE_BANNER}"`,
    '--minify',
    '--sourcemap',
    '--sources-content=false',
    ...EXTERNAL_MODULES.map((module) => `--external:${module}`),
    '--log-level=error',
  ].join(' ');
