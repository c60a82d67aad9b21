/**
 * The CI check of @shiftline/client: its committed types are what the generator makes from the
 * service's OpenAPI and AsyncAPI documents and its GraphQL schema's introspection today. Run `npm run generate -w packages/client`
 * after changing a route or a schema.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../packages/client/scripts/generate.ts';

const CLIENT = resolve(import.meta.dirname, '../../packages/client');
const GENERATED = resolve(CLIENT, 'src/generated');

describe('@shiftline/client types', () => {
  it('match the documents the service serves (regenerate with npm run generate -w packages/client)', async () => {
    for (const [name, text] of Object.entries(await generatedFiles())) {
      expect(readFileSync(resolve(GENERATED, name), 'utf8'), name).toBe(text);
    }
  });

  it('builds as `npm run build -w packages/client` does, to ESM that loads', async () => {
    // Prepare: beside the package, so the build resolves openapi-fetch as the published one would.
    const outDir = mkdtempSync(resolve(CLIENT, '.build-check-'));
    try {
      // Act
      await promisify(execFile)(process.execPath, [resolve(CLIENT, 'scripts/build.ts'), '--outDir', outDir]);
      const built = (await import(resolve(outDir, 'index.js'))) as Record<string, unknown>;
      // Assess
      expect(typeof built.createShiftlineClient).toBe('function');
      expect(typeof built.ShiftlineSocket).toBe('function');
      expect(typeof built.graphql).toBe('function');
      // graphql.d.ts imports the introspection, which tsc does not copy: the build does.
      expect(readFileSync(resolve(outDir, 'graphql.d.ts'), 'utf8')).toContain('./generated/graphql-env.js');
      expect(readFileSync(resolve(outDir, 'generated/graphql-env.d.ts'), 'utf8')).toContain(
        'export type introspection',
      );
      expect(readFileSync(resolve(outDir, 'index.d.ts'), 'utf8')).toContain('createShiftlineClient');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
