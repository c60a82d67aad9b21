import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HTTP_FUNCTIONS } from '#shared/functions.ts';
import { ROUTES } from '#shared/routes.ts';
import { httpEvent, jsonOf, lambdaContext } from './support/lambda.ts';

type Handler = typeof import('../../functions/http/docs.ts')['handler'];
let handler: Handler;
const packageDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

beforeAll(async () => {
  vi.stubEnv('SERVICE_VERSION', '9.9.9-test');
  vi.stubEnv('DOCS_ASSETS_DIR', '');
  ({ handler } = await import('../../functions/http/docs.ts'));
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const get = (routeKey: string, options: Partial<Parameters<typeof httpEvent>[0]> = {}) =>
  handler(httpEvent({ routeKey, ...options }), lambdaContext('docs'));

describe('docs function', () => {
  it('answers /health with the deployed version', async () => {
    const result = await get('GET /health');
    expect(result.statusCode).toBe(200);
    expect(jsonOf(result)).toEqual({ status: 'ok', version: '9.9.9-test' });
    expect(result.headers['x-request-id']).toMatch(/^req-/);
  });

  it('serves the OpenAPI document with the caller host as server', async () => {
    // Act
    const result = await get('GET /openapi.json', {
      headers: { host: 'abc.execute-api.aws', 'x-forwarded-proto': 'https' },
    });
    // Assess
    const document = jsonOf(result) as {
      openapi: string;
      servers: unknown;
      paths: Record<string, unknown>;
      info: { version: string };
    };
    expect(result.headers['content-type']).toBe('application/json');
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('9.9.9-test');
    expect(document.servers).toEqual([{ url: 'https://abc.execute-api.aws' }]);
    expect(Object.keys(document.paths).sort()).toEqual(
      [...new Set(ROUTES.map((route) => route.path))].sort(),
    );
  });

  it('assumes plain http when no proxy says otherwise (the twin)', async () => {
    const result = await get('GET /openapi.json', { headers: { host: 'localhost:3000' } });
    expect(jsonOf(result).servers).toEqual([{ url: 'http://localhost:3000' }]);
  });

  it('keeps the stage in server and asset paths on a named stage', async () => {
    const openapi = jsonOf(
      await get('GET /openapi.json', { stage: 'prod', headers: { host: 'h', 'x-forwarded-proto': 'http' } }),
    );
    const page = await get('GET /docs', { stage: 'prod' });
    expect(openapi.servers).toEqual([{ url: 'http://h/prod' }]);
    expect(page.body).toContain('src="/prod/docs/swagger-ui-bundle.js"');
  });

  it('serves a playground that loads swagger-ui from the same origin and points at /openapi.json', async () => {
    const result = await get('GET /docs');
    expect(result.statusCode).toBe(200);
    expect(result.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = result.body ?? '';
    expect(html).toContain('<script src="/docs/swagger-ui-bundle.js">');
    expect(html).toContain('<link rel="stylesheet" href="/docs/swagger-ui.css">');
    expect(html).toContain('url: "/openapi.json"');
    expect(html).toContain('persistAuthorization: true');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves the AsyncAPI document of the WebSocket protocol, linked from the playground', async () => {
    const result = await get('GET /asyncapi.json');
    expect(result.statusCode).toBe(200);
    expect(jsonOf(result)).toMatchObject({ asyncapi: '3.0.0', info: { version: '9.9.9-test' } });
    expect((await get('GET /docs')).body).toContain('href="/asyncapi.json"');
  });

  it('serves allowlisted assets from swagger-ui-dist with content type and cache headers', async () => {
    const css = await get('GET /docs/{asset}', {
      path: '/docs/swagger-ui.css',
      pathParameters: { asset: 'swagger-ui.css' },
    });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(css.body).toBe(await readFile(join(packageDir, 'swagger-ui.css'), 'utf8'));
    expect(css.isBase64Encoded).toBeFalsy();
  });

  it('sends binary assets base64-encoded', async () => {
    const png = await get('GET /docs/{asset}', { pathParameters: { asset: 'favicon-32x32.png' } });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.isBase64Encoded).toBe(true);
    expect(
      Buffer.from(png.body ?? '', 'base64').equals(await readFile(join(packageDir, 'favicon-32x32.png'))),
    ).toBe(true);
  });

  it('serves every file the function definition lists', async () => {
    for (const asset of HTTP_FUNCTIONS.docs.assets.files) {
      const result = await get('GET /docs/{asset}', { pathParameters: { asset } });
      expect(result.statusCode, asset).toBe(200);
    }
  });

  it('answers 404 to a file of the package that is not on the allowlist, 400 to a path', async () => {
    const unlisted = await get('GET /docs/{asset}', { pathParameters: { asset: 'index.html' } });
    const traversal = await get('GET /docs/{asset}', { pathParameters: { asset: '../package.json' } });
    expect(unlisted.statusCode).toBe(404);
    expect(unlisted.headers['content-type']).toBe('application/problem+json');
    expect(traversal.statusCode).toBe(400);
  });

  it('reads assets from DOCS_ASSETS_DIR when set (the bundle copy)', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'docs-assets-'));
    await writeFile(join(dir, 'swagger-ui.css'), 'body { color: red }');
    vi.stubEnv('DOCS_ASSETS_DIR', dir);
    try {
      // Act
      const result = await get('GET /docs/{asset}', { pathParameters: { asset: 'swagger-ui.css' } });
      // Assess
      expect(result.body).toBe('body { color: red }');
    } finally {
      vi.stubEnv('DOCS_ASSETS_DIR', '');
      await rm(dir, { recursive: true });
    }
  });
});
