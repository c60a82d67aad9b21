/**
 * How every function is bundled, declared once: the CDK functions (infra/lambda.ts) and the
 * bundle benchmark (bench/bundles.ts) use the same options, so the bench measures what ships.
 */
export const BUNDLE_TARGET = 'node24';

// ESM bundles that pull in CommonJS dependencies need `require`.
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** The Lambda runtime ships the service clients; helpers (lib-dynamodb, presigners) are bundled. */
export const EXTERNAL_MODULES = ['@aws-sdk/client-*'];

export const MAIN_FIELDS = ['module', 'main'];
