import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import {
  HTTP_GATEWAY_MAX_PAYLOAD_BYTES,
  HTTP_STAGE_THROTTLE,
  ROUTE_THROTTLES,
  type RouteThrottleClass,
  type Throttle,
} from '#shared/limits.ts';
import { ROUTES, type RouteDefinition, routeKeyOf } from '#shared/routes.ts';
import { isPreflight, type OriginPolicy, preflightHeaders, responseCorsHeaders } from './cors.ts';
import { bearerChallenge, MISSING_TOKEN, refusalReason } from './jwt-refusal.ts';
import { createLambdaContext } from './lambda-context.ts';
import { claimsAsApiGatewayStrings, gatewayRequestId, headersOf } from './lambda-events.ts';
import { requestScope } from './request-scope.ts';
import { routeBuckets, TokenBucket } from './token-bucket.ts';

export type HttpHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2 | string | undefined>;

export interface HttpGatewayOptions {
  port: number;
  /** The capability function serving each route (loaded from the same entry modules as in AWS). */
  handlerFor: (route: RouteDefinition) => Promise<HttpHandler>;
  /** Verifies a bearer token as the JWT authorizer does; rejects when it is not valid. */
  verifyToken: (token: string) => Promise<Record<string, unknown>>;
  throttle?: { rateLimit: number; burstLimit: number };
  /** Per-route throttles of the routes that name a class; `off` lifts them (the bench). */
  routeThrottles?: Record<RouteThrottleClass, Throttle> | 'off';
  /** The browser origins CORS allows (none when omitted). */
  allowOrigin?: OriginPolicy;
  /** Receives one access-log line per request, as API Gateway's access log has one. */
  accessLog?: (line: string) => void;
}

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  paramNames: string[];
}

const compile = (route: RouteDefinition): CompiledRoute => {
  const paramNames: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\+?\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), paramNames };
};

interface RouteMatch {
  candidate: CompiledRoute;
  found: RegExpExecArray;
}

/** As API Gateway chooses: among the routes that match, the most specific (fewest path variables). */
const matchRoute = (compiled: CompiledRoute[], method: string, pathname: string): RouteMatch | undefined => {
  let best: RouteMatch | undefined;
  for (const candidate of compiled) {
    if (candidate.route.method !== method) continue;
    const found = candidate.pattern.exec(pathname);
    if (found && (!best || candidate.paramNames.length < best.candidate.paramNames.length)) {
      best = { candidate, found };
    }
  }
  return best;
};

/** The JWT authorizer: the claims of a valid bearer token (`{}` for a public route), or why it refused. */
const authorize = async (
  route: RouteDefinition,
  request: IncomingMessage,
  verifyToken: HttpGatewayOptions['verifyToken'],
): Promise<{ claims: Record<string, string> } | { refused: string }> => {
  if (route.access === 'public') return { claims: {} };
  const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!token) return { refused: MISSING_TOKEN };
  try {
    return { claims: claimsAsApiGatewayStrings(await verifyToken(token)) };
  } catch (error) {
    return { refused: refusalReason(error) };
  }
};

interface GatewayRequest {
  request: IncomingMessage;
  url: URL;
  match: RouteMatch;
  body: Buffer;
  claims: Record<string, string>;
  requestId: string;
}

/** The API Gateway v2 (HTTP API) event of a request. */
const eventOf = ({ request, url, match, body, claims, requestId }: GatewayRequest) => {
  const { route, paramNames } = match.candidate;
  const pathParameters = Object.fromEntries(
    paramNames.map((name, index) => [name, decodeURIComponent(match.found[index + 1] ?? '')]),
  );
  const headers = headersOf(request.headers);
  const text = isText(headers['content-type']);
  const now = new Date();
  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    version: '2.0',
    routeKey: routeKeyOf(route),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: queryOf(url),
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
    body: body.length > 0 ? body.toString(text ? 'utf8' : 'base64') : undefined,
    isBase64Encoded: body.length > 0 && !text,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: routeKeyOf(route),
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: { jwt: { claims, scopes: [] }, principalId: '', integrationLatency: 0 },
    },
  };
  return event;
};

interface Gateway {
  options: HttpGatewayOptions;
  compiled: CompiledRoute[];
  bucket: TokenBucket;
  /** One bucket per throttled route, as API Gateway counts route settings per route key. */
  routeBuckets: Map<string, TokenBucket>;
}

/** API Gateway's own answers first (CORS preflight, 429, 404, 413, 401), then the route's function. */
const serve = async (
  gateway: Gateway,
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
) => {
  const allows = gateway.options.allowOrigin ?? (() => false);
  if (isPreflight(request)) {
    response.writeHead(204, { 'apigw-requestid': requestId, ...preflightHeaders(request, allows) });
    return response.end();
  }
  for (const [name, value] of Object.entries(responseCorsHeaders(request, allows)))
    response.setHeader(name, value);
  if (!gateway.bucket.take()) return gatewayAnswer(response, requestId, 429, 'Too Many Requests');
  const url = new URL(request.url ?? '/', 'http://localhost');
  const match = matchRoute(gateway.compiled, request.method ?? 'GET', url.pathname);
  if (!match) return gatewayAnswer(response, requestId, 404, 'Not Found');

  const body = await readBody(request);
  if (body === 'too-large') return gatewayAnswer(response, requestId, 413, 'Request Entity Too Large');

  const { route } = match.candidate;
  if (gateway.routeBuckets.get(routeKeyOf(route))?.take() === false)
    return gatewayAnswer(response, requestId, 429, 'Too Many Requests');
  const authorized = await authorize(route, request, gateway.options.verifyToken);
  if ('refused' in authorized)
    return gatewayAnswer(response, requestId, 401, 'Unauthorized', {
      'www-authenticate': bearerChallenge(authorized.refused),
    });
  const { claims } = authorized;

  const event = eventOf({ request, url, match, body, claims, requestId });
  const handler = await gateway.options.handlerFor(route);
  const result = await requestScope.run({ requestId, routeKey: event.routeKey }, () =>
    handler(event, createLambdaContext(route.fn)),
  );
  writeResult(response, requestId, result);
};

/**
 * The twin's HTTP API: routes from the route table, the JWT authorizer's checks and its own
 * 401/404/413/429 answers, then the function invoked with an API Gateway v2 event.
 */
export const startHttpGateway = async (options: HttpGatewayOptions) => {
  const gateway: Gateway = {
    options,
    compiled: (ROUTES as readonly RouteDefinition[]).map(compile),
    bucket: new TokenBucket(options.throttle ?? HTTP_STAGE_THROTTLE),
    routeBuckets: routeBuckets(ROUTES, options.routeThrottles ?? ROUTE_THROTTLES),
  };
  const server: Server = createServer((request, response) => {
    const requestId = gatewayRequestId();
    const startedAt = performance.now();
    response.once('finish', () => options.accessLog?.(accessLine(request, response, requestId, startedAt)));
    serve(gateway, request, response, requestId).catch((error: unknown) => {
      console.error(
        `[http-gateway] ${requestId} internal error`,
        error instanceof Error ? error.message : error,
      );
      gatewayAnswer(response, requestId, 500, 'Internal Server Error');
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${options.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Method, path, status, latency and request id: the fields of the stack's access log a developer reads. */
const accessLine = (
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
  startedAt: number,
) =>
  `${request.method} ${(request.url ?? '/').split('?')[0]} ${response.statusCode} ${Math.round(performance.now() - startedAt)}ms ${requestId}`;

const queryOf = (url: URL): Record<string, string> | undefined => {
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  return Object.keys(query).length > 0 ? query : undefined;
};

const isText = (contentType: string | undefined) =>
  contentType === undefined ||
  /^(text\/|application\/([\w.+-]*json|xml|x-www-form-urlencoded))/i.test(contentType);

const readBody = async (request: IncomingMessage): Promise<Buffer | 'too-large'> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > HTTP_GATEWAY_MAX_PAYLOAD_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

/** API Gateway's own answers: `{"message": …}` as application/json, with `apigw-requestid`. */
const gatewayAnswer = (
  response: ServerResponse,
  requestId: string,
  status: number,
  message: string,
  headers: Record<string, string> = {},
) => {
  if (response.headersSent) return response.end();
  response.writeHead(status, {
    'content-type': 'application/json',
    'apigw-requestid': requestId,
    ...headers,
  });
  response.end(JSON.stringify({ message }));
};

/** The v2 payload format: a structured result, or anything else as a 200 JSON body. */
const writeResult = (
  response: ServerResponse,
  requestId: string,
  result: APIGatewayProxyStructuredResultV2 | string | undefined,
) => {
  const structured =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? result
      : {
          statusCode: 200,
          body: JSON.stringify(result ?? null),
          headers: { 'content-type': 'application/json' },
        };
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(structured.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const body = structured.body ?? '';
  response.writeHead(structured.statusCode ?? 200, headers);
  response.end(structured.isBase64Encoded ? Buffer.from(body, 'base64') : body);
};
