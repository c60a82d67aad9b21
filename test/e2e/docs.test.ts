/**
 * The /docs playground rendered by a real browser (Debian's headless Chromium): it loads its
 * assets from the service itself (no CDN) and lists every route of the route table. A
 * screenshot is kept as a test artifact in test-artifacts/docs.png.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#shared/routes.ts';
import { headlessChromium } from './support/chromium.ts';
import { api, twin } from './support/twin.ts';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
const { chromium, close } = headlessChromium();

afterAll(close);

describe('GET /docs in a browser', () => {
  it('serves its assets from the service, not a CDN', async () => {
    const page = await api('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)[^"']+\.(js|css)/);
    const bundle = await api('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await api('/docs/package.json')).status).toBe(404);
  });

  it('lists every route of the route table, and looks right', async () => {
    const url = twin().urls.docs;
    const { stdout: dom } = await chromium('--dump-dom', url);
    const rendered = new Set(
      [...dom.matchAll(/class="opblock-summary-path" data-path="([^"]+)"/g)].map((m) => m[1]),
    );
    for (const route of ROUTES) expect(rendered, `${route.method} ${route.path}`).toContain(route.path);

    mkdirSync(ARTIFACTS, { recursive: true });
    const screenshot = join(ARTIFACTS, 'docs.png');
    await chromium('--window-size=1280,2000', `--screenshot=${screenshot}`, url);
    expect(statSync(screenshot).size).toBeGreaterThan(20_000);
  });
});
