/**
 * The `docs` function: health, the OpenAPI and AsyncAPI documents and the interactive playground.
 */
import { NotFound } from '#domain/errors.ts';
import type { buildAsyncApiDocument } from '#runtime/asyncapi.ts';
import { ENV, serviceVersion } from '#runtime/config.ts';
import { docsPage, readDocsAsset } from '#runtime/docs-assets.ts';
import { type HttpEvent, httpFunction } from '#runtime/http.ts';
import type { buildOpenApiDocument } from '#runtime/openapi.ts';
import { DOCS_ROUTES } from '#shared/routes/docs.ts';

const version = serviceVersion();
// Generated once per container, by the first request for it; only `servers` depends on the
// request. The generators (every route's schemas, zod-to-openapi) are chunks of their own, so a
// cold start for /health does not load them.
let document: ReturnType<typeof buildOpenApiDocument> | undefined;
let asyncApi: ReturnType<typeof buildAsyncApiDocument> | undefined;

/** The stage path prefix: '' on the default stage. */
const basePath = (event: HttpEvent): string => {
  const stage = event.requestContext.stage;
  return stage === undefined || stage === '$default' ? '' : `/${stage}`;
};

// API Gateway always sets X-Forwarded-Proto; a request without it came straight over http.
const serverUrl = (event: HttpEvent): string => {
  const host = event.headers.host ?? event.requestContext.domainName;
  const protocol = event.headers['x-forwarded-proto'] ?? 'http';
  return `${protocol}://${host}${basePath(event)}`;
};

/** The WebSocket endpoint, from the management endpoint the functions post frames to. */
const wsServer = () => {
  const endpoint = process.env[ENV.wsManagementEndpoint];
  if (!endpoint) return undefined;
  const url = new URL(endpoint);
  const protocol = url.protocol === 'https:' ? 'wss' : 'ws';
  return { host: url.host, pathname: url.pathname, protocol } as const;
};

const ASSET_CACHE = 'public, max-age=86400';

export const handler = httpFunction(DOCS_ROUTES, {
  getHealth: async () => ({ status: 200, body: { status: 'ok', version } }),

  getOpenApi: async ({ event }) => {
    document ??= (await import('#runtime/openapi.ts')).buildOpenApiDocument({ version, servers: [] });
    return {
      status: 200,
      headers: { 'cache-control': 'no-cache' },
      body: { ...document, servers: [{ url: serverUrl(event) }] },
    };
  },

  getAsyncApi: async () => {
    asyncApi ??= (await import('#runtime/asyncapi.ts')).buildAsyncApiDocument({
      version,
      server: wsServer(),
    });
    return { status: 200, headers: { 'cache-control': 'no-cache' }, body: asyncApi };
  },

  getDocs: async ({ event }) => ({
    status: 200,
    contentType: 'text/html; charset=utf-8',
    headers: { 'cache-control': 'no-cache' },
    body: docsPage(basePath(event)),
  }),

  getDocsAsset: async ({ params }) => {
    const asset = await readDocsAsset(params.asset);
    if (asset === undefined) throw new NotFound(`No asset ${params.asset}`);
    return {
      status: 200,
      contentType: asset.contentType,
      headers: { 'cache-control': ASSET_CACHE },
      body: asset.body,
    };
  },
});
