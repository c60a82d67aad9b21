/**
 * The playground: its HTML page and the swagger-ui files it loads from the same origin (no
 * CDN). Files come from DOCS_ASSETS_DIR (the bundle's copy, set by the stack) or else from the
 * swagger-ui-dist package; only the files HTTP_FUNCTIONS.docs lists are served.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HTTP_FUNCTIONS } from '#shared/functions.ts';
import { optionalEnv } from './config.ts';

const ASSETS = HTTP_FUNCTIONS.docs.assets;

export const DOCS_ASSET_FILES: readonly string[] = ASSETS.files;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
};

export const contentTypeOf = (file: string): string =>
  CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

const isText = (contentType: string): boolean =>
  contentType.startsWith('text/') || contentType.startsWith('application/json');

// Bundles get a `createRequire` banner from the stack, so this module resolves with import.meta.
const assetsDir = (): string =>
  optionalEnv('docsAssetsDir') ??
  dirname(fileURLToPath(import.meta.resolve(`${ASSETS.fromPackage}/package.json`)));

export interface DocsAsset {
  contentType: string;
  /** Text as a string, binary as bytes (sent base64). */
  body: string | Uint8Array;
}

// Each file is read once per cold start.
const cache = new Map<string, Promise<DocsAsset>>();

/** The asset, or undefined when it is not on the allowlist. */
export const readDocsAsset = (file: string): Promise<DocsAsset> | undefined => {
  if (!DOCS_ASSET_FILES.includes(file)) return undefined;
  const path = join(assetsDir(), file);
  let asset = cache.get(path);
  if (asset === undefined) {
    const contentType = contentTypeOf(file);
    asset = readFile(path).then((bytes) => ({
      contentType,
      body: isText(contentType) ? bytes.toString('utf8') : new Uint8Array(bytes),
    }));
    // A failed read is not cached: the next request tries again.
    asset.catch(() => cache.delete(path));
    cache.set(path, asset);
  }
  return asset;
};

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The playground page; `base` is the stage path prefix ('' on the default stage). */
export const docsPage = (base: string): string => {
  const at = (path: string) => escapeHtml(`${base}${path}`);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Shiftline API</title>
  <link rel="icon" type="image/png" href="${at('/docs/favicon-32x32.png')}">
  <link rel="stylesheet" href="${at('/docs/swagger-ui.css')}">
</head>
<body>
  <p style="font-family: sans-serif; margin: 1em 20px 0">
    WebSocket protocol (actions, frames, close codes):
    <a id="asyncapi" href="${at('/asyncapi.json')}">AsyncAPI 3 document</a>
  </p>
  <div id="swagger-ui"></div>
  <script src="${at('/docs/swagger-ui-bundle.js')}"></script>
  <script src="${at('/docs/swagger-ui-standalone-preset.js')}"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: ${JSON.stringify(`${base}/openapi.json`)},
      dom_id: '#swagger-ui',
      deepLinking: true,
      persistAuthorization: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
    });
  </script>
</body>
</html>
`;
};
