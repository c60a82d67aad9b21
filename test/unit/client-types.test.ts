/**
 * The CI check of @shiftline/client: its committed types are what the generator makes from the
 * service's OpenAPI and AsyncAPI documents today. Run `npm run generate -w packages/client`
 * after changing a route or a schema.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../packages/client/scripts/generate.ts';

const GENERATED = resolve(import.meta.dirname, '../../packages/client/src/generated');

describe('@shiftline/client types', () => {
  it('match the documents the service serves (regenerate with npm run generate -w packages/client)', async () => {
    for (const [name, text] of Object.entries(await generatedFiles())) {
      expect(readFileSync(resolve(GENERATED, name), 'utf8'), name).toBe(text);
    }
  });
});
