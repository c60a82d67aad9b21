import { DocsAssetParamsSchema, HealthSchema } from '#domain/schemas/common.ts';
import type { RouteDefinition } from '../routes.ts';

export const DOCS_ROUTES = [
  {
    method: 'GET',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness and deployed version',
    tag: 'Health and docs',
    fn: 'docs',
    access: 'public',
    responses: { 200: { description: 'The service is up', schema: HealthSchema } },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This OpenAPI 3.1 document',
    tag: 'Health and docs',
    fn: 'docs',
    access: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
  {
    method: 'GET',
    path: '/docs',
    operationId: 'getDocs',
    summary: 'Interactive API playground (paste a token, try requests)',
    tag: 'Health and docs',
    fn: 'docs',
    access: 'public',
    responses: { 200: { description: 'HTML playground', contentType: 'text/html' } },
  },
  {
    method: 'GET',
    path: '/docs/{asset}',
    operationId: 'getDocsAsset',
    summary: "The playground's static files, served from its npm package",
    tag: 'Health and docs',
    fn: 'docs',
    access: 'public',
    request: { params: DocsAssetParamsSchema },
    responses: { 200: { description: 'A static file', contentType: 'application/octet-stream' } },
  },
] as const satisfies readonly RouteDefinition[];
