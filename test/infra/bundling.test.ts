import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { HTTP_FUNCTIONS, WS_FUNCTIONS } from '#shared/functions.ts';
import { Data } from '../../infra/data.ts';
import { EncryptionKey } from '../../infra/encryption.ts';
import { PROJECT_ROOT, ShiftlineFunction } from '../../infra/lambda.ts';
import { logicalId } from './synth.ts';

// The one real esbuild run of the infra tests: what the bundles look like and that they load.
// Inside the repo, so the external SDK clients resolve from node_modules as Lambda's runtime
// provides them.
mkdirSync(join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
const outdir = mkdtempSync(join(PROJECT_ROOT, 'cdk.out', 'test-bundles-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const app = new App({
  outdir,
  builtinCloudFormationValidation: false,
  context: { 'aws:cdk:enable-asset-metadata': true },
});
const stack = new Stack(app, 'Bundles');
const { key } = new EncryptionKey(stack, 'Encryption');
const { main } = new Data(stack, 'Data', { key });
const failures = { synchronousCaller: 'a test' };
const docs = new ShiftlineFunction(stack, 'Docs', {
  definition: HTTP_FUNCTIONS.docs,
  targets: { key },
  failures,
});
const connect = new ShiftlineFunction(stack, 'Connect', {
  definition: WS_FUNCTIONS.connect,
  targets: { key, main },
  failures,
});
const template = Template.fromStack(stack).toJSON() as {
  Resources: Record<string, { Metadata?: Record<string, string> }>;
};
const bundleDir = (fn: ShiftlineFunction): string => {
  const assetPath = template.Resources[logicalId(fn.fn)]?.Metadata?.['aws:asset:path'];
  if (!assetPath) throw new Error('no asset path');
  return join(outdir, assetPath);
};
const bundleOf = (fn: ShiftlineFunction) => readFileSync(join(bundleDir(fn), 'index.mjs'), 'utf8');

describe('function bundles', () => {
  it('are ESM with a require shim for bundled CommonJS, and a source map', () => {
    for (const fn of [docs, connect]) {
      expect(bundleOf(fn).startsWith("import { createRequire } from 'module';")).toBe(true);
      expect(existsSync(join(bundleDir(fn), 'index.mjs.map'))).toBe(true);
    }
  });

  it('leave the SDK clients to the runtime and bundle the helpers', () => {
    const bundle = bundleOf(connect);
    expect(bundle).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
    expect(bundle).not.toMatch(/from\s*"@aws-sdk\/lib-dynamodb"/);
  });

  it('carry the playground files the docs function serves', () => {
    const { into, files } = HTTP_FUNCTIONS.docs.assets;
    for (const file of files) expect(existsSync(join(bundleDir(docs), into, file))).toBe(true);
  });

  it('load in Node 24 as Lambda loads them', () => {
    for (const fn of [docs, connect]) {
      const url = pathToFileURL(join(bundleDir(fn), 'index.mjs')).href;
      const exported = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(url)}); console.log(typeof m.handler)`,
        ],
        { encoding: 'utf8' },
      );
      expect(exported.trim()).toBe('function');
    }
  });
});
