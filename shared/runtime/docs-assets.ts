/**
 * The playground: its HTML page and the swagger-ui files it loads from the same origin (no
 * CDN). Files come from DOCS_ASSETS_DIR (the bundle's copy, set by the stack) or else from the
 * swagger-ui-dist package; only the files HTTP_FUNCTIONS.docs lists are served.
 */
import { HTTP_FUNCTIONS } from '#shared/functions.ts';
import { type StaticAsset, staticAssets } from './static-assets.ts';

export { contentTypeOf } from './static-assets.ts';

const ASSETS = staticAssets([HTTP_FUNCTIONS.docs.assets]);

export const DOCS_ASSET_FILES: readonly string[] = HTTP_FUNCTIONS.docs.assets.files;

export type DocsAsset = StaticAsset;

/** The asset, or undefined when it is not on the allowlist. */
export const readDocsAsset = (file: string): Promise<DocsAsset> | undefined => ASSETS.read(file);

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
  <p style="font-family: sans-serif; margin: 8px 16px">Also: <a href="${at('/graphql')}">GraphQL (GraphiQL)</a></p>
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
