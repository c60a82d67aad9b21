import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
// The split bundle: GraphQL's entry and its capabilities' chunks (its grants play no part here).
const graphql = new ShiftlineFunction(stack, 'Graphql', {
  definition: { ...HTTP_FUNCTIONS.graphql, access: [] },
  targets: { key },
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

  it('leave the whole SDK to the runtime: the clients and the helpers that wrap them', () => {
    const bundle = bundleOf(connect);
    expect(bundle).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
    expect(bundle).toMatch(/from\s*"@aws-sdk\/lib-dynamodb"/);
    expect(bundle).toMatch(/from\s*"@aws-sdk\/util-dynamodb"/);
  });

  it('carry the playground files the docs function serves', () => {
    const { into, files } = HTTP_FUNCTIONS.docs.assets;
    for (const file of files) expect(existsSync(join(bundleDir(docs), into, file))).toBe(true);
  });

  it('split GraphQL into an entry and chunks loaded on first use, beside its playground files', () => {
    const chunks = readdirSync(join(bundleDir(graphql), 'chunks')).filter((file) => file.endsWith('.mjs'));
    expect(chunks.length).toBeGreaterThan(5);
    expect(bundleOf(graphql).startsWith("import { createRequire } from 'module';")).toBe(true);
    expect(existsSync(join(bundleDir(graphql), 'index.mjs.map'))).toBe(true);
    expect(existsSync(join(bundleDir(graphql), 'graphiql', 'graphiql.min.js'))).toBe(true);
    // A capability's services are not in the entry a cold start evaluates: they sit in chunks.
    const chunkText = chunks.map((file) => readFileSync(join(bundleDir(graphql), 'chunks', file), 'utf8'));
    expect(bundleOf(graphql)).not.toContain('Stale acknowledgement');
    expect(chunkText.some((text) => text.includes('Stale acknowledgement'))).toBe(true);
  });

  it('load every chunk of the split bundle in Node 24', () => {
    const dir = bundleDir(graphql);
    const files = ['index.mjs', ...readdirSync(join(dir, 'chunks')).map((file) => `chunks/${file}`)];
    const urls = files
      .filter((file) => file.endsWith('.mjs'))
      .map((file) => pathToFileURL(join(dir, file)).href);
    const loaded = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `for (const url of ${JSON.stringify(urls)}) await import(url); const m = await import(${JSON.stringify(urls[0])}); console.log(typeof m.handler)`,
      ],
      { encoding: 'utf8', env: { ...process.env, MAIN_TABLE_NAME: 'Main', LEDGER_TABLE_NAME: 'Ledger' } },
    );
    expect(loaded.trim()).toBe('function');
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
