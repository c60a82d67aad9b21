import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyResultV2, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { type WebSocket, WebSocketServer } from 'ws';
import { WS_MAX_CONNECTION_SECONDS, WS_MAX_FRAME_BYTES, WS_MAX_MESSAGE_BYTES } from '#shared/limits.ts';
import { createLambdaContext } from './lambda-context.ts';
import { gatewayRequestId, headersOf } from './lambda-events.ts';

/** Each route's function takes its own API Gateway WebSocket event shape; the gateway builds them. */
type WsHandler = (event: never, context: Context) => Promise<unknown>;

export interface WsGatewayOptions {
  port: number;
  authorizer: (event: never, context: Context) => Promise<unknown>;
  /** Route key ($connect, $disconnect, $default, or an action name) → function. */
  routes: Record<string, WsHandler>;
}

type AuthorizerContext = Record<string, string | number | boolean>;

interface LiveConnection {
  socket: WebSocket;
  connectedAt: number;
  authorizer: AuthorizerContext;
  sourceIp: string;
}

const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/** The gateway's options and the connections it holds, shared by its pieces. */
interface Gateway {
  options: WsGatewayOptions;
  connections: Map<string, LiveConnection>;
  wss: WebSocketServer;
}

const requestContextOf = (
  port: number,
  connectionId: string,
  routeKey: string,
  eventType: string,
  connection?: Omit<LiveConnection, 'socket'>,
) => ({
  routeKey,
  eventType,
  connectionId,
  requestId: gatewayRequestId(),
  messageId: eventType === 'MESSAGE' ? randomUUID() : undefined,
  extendedRequestId: gatewayRequestId(),
  apiId: 'local',
  stage: 'local',
  domainName: `127.0.0.1:${port}`,
  connectedAt: connection?.connectedAt ?? Date.now(),
  requestTimeEpoch: Date.now(),
  authorizer: connection?.authorizer,
  identity: { sourceIp: connection?.sourceIp ?? '127.0.0.1' },
});

const invokeRoute = async (routes: WsGatewayOptions['routes'], routeKey: string, event: object) => {
  const handler = routes[routeKey];
  if (!handler) return undefined;
  return handler(event as never, createLambdaContext(routeKey));
};

const selectRoute = (routes: WsGatewayOptions['routes'], text: string, isBinary: boolean): string => {
  if (isBinary) return '$default';
  try {
    const action = (JSON.parse(text) as { action?: unknown }).action;
    if (typeof action === 'string' && action in routes && !action.startsWith('$')) return action;
  } catch {
    // Not JSON: API Gateway falls back to $default.
  }
  return '$default';
};

/** The REQUEST authorizer's verdict: the connection's authorizer context, or the status refusing it. */
const authorize = async (
  options: WsGatewayOptions,
  connectionId: string,
  headers: Record<string, string>,
  query: Record<string, string>,
): Promise<AuthorizerContext | number> => {
  const authorizerEvent = {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:local:000000000000:local/local/$connect`,
    headers,
    queryStringParameters: query,
    requestContext: requestContextOf(options.port, connectionId, '$connect', 'CONNECT'),
  } as unknown as APIGatewayRequestAuthorizerEvent;
  try {
    const result = (await options.authorizer(
      authorizerEvent as never,
      createLambdaContext('authorize'),
    )) as AuthorizerResult;
    if (!allows(result)) return 403;
    const context = scalarContext(result.context);
    if (result.principalId !== undefined) context.principalId = result.principalId;
    return context;
  } catch (error) {
    // Throwing "Unauthorized" is the authorizer's way to answer 401; anything else is a 500.
    return error instanceof Error && error.message === 'Unauthorized' ? 401 : 500;
  }
};

/** The authorizer, then $connect; the socket is accepted only when both let it in. */
const upgrade = async (gateway: Gateway, request: IncomingMessage, socket: Duplex, head: Buffer) => {
  const { options } = gateway;
  const url = new URL(request.url ?? '/', 'http://localhost');
  const connectionId = randomUUID().replaceAll('-', '').slice(0, 16);
  const query = Object.fromEntries(url.searchParams);
  const headers = headersOf(request.headers);
  const context = await authorize(options, connectionId, headers, query);
  if (typeof context === 'number') return refuse(socket, context);
  const connection: Omit<LiveConnection, 'socket'> = {
    connectedAt: Date.now(),
    authorizer: context,
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
  };
  const connectResult = await invokeRoute(options.routes, '$connect', {
    headers,
    queryStringParameters: query,
    isBase64Encoded: false,
    requestContext: requestContextOf(options.port, connectionId, '$connect', 'CONNECT', connection),
  });
  const status = statusOf(connectResult);
  if (status >= 300) return refuse(socket, status);
  gateway.wss.handleUpgrade(request, socket, head, (ws) =>
    attach(gateway, connectionId, { ...connection, socket: ws }),
  );
};

/** A live connection: messages routed to their function, API Gateway's idle and lifetime limits, $disconnect. */
const attach = (gateway: Gateway, connectionId: string, connection: LiveConnection) => {
  const { options, connections } = gateway;
  connections.set(connectionId, connection);
  let idle = setTimeout(() => connection.socket.close(1001, 'Going away'), IDLE_TIMEOUT_MS);
  const lifetime = setTimeout(
    () => connection.socket.close(1001, 'Going away'),
    WS_MAX_CONNECTION_SECONDS * 1000,
  );
  connection.socket.on('message', (data, isBinary) => {
    clearTimeout(idle);
    idle = setTimeout(() => connection.socket.close(1001, 'Going away'), IDLE_TIMEOUT_MS);
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Buffer.concat(data as Buffer[]).toString('utf8');
    // Clients send each message as one frame; API Gateway closes on a frame over 32 KB.
    if (Buffer.byteLength(text) > WS_MAX_FRAME_BYTES) return connection.socket.close(1009, 'Message too big');
    const routeKey = selectRoute(options.routes, text, isBinary);
    void invokeRoute(options.routes, routeKey, {
      body: text,
      isBase64Encoded: false,
      requestContext: requestContextOf(options.port, connectionId, routeKey, 'MESSAGE', connection),
    }).catch(() => undefined);
  });
  connection.socket.on('close', () => {
    clearTimeout(idle);
    clearTimeout(lifetime);
    connections.delete(connectionId);
    void invokeRoute(options.routes, '$disconnect', {
      isBase64Encoded: false,
      requestContext: requestContextOf(options.port, connectionId, '$disconnect', 'DISCONNECT', connection),
    }).catch(() => undefined);
  });
};

/** The @connections management API: POST (send), GET (info), DELETE (disconnect). */
const manage = async (
  connections: Map<string, LiveConnection>,
  request: IncomingMessage,
  response: ServerResponse,
) => {
  const match = /^(?:\/[^/]+)?\/@connections\/([^/?]+)/.exec(request.url ?? '');
  const connection = match?.[1] ? connections.get(decodeURIComponent(match[1])) : undefined;
  if (!match) return reply(response, 404, { message: 'Not Found' });
  if (!connection) return reply(response, 410, { message: 'Gone' }, 'GoneException');
  if (request.method === 'POST') {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const data = Buffer.concat(chunks);
    if (data.length > WS_MAX_MESSAGE_BYTES) return reply(response, 413, { message: 'Payload too large' });
    connection.socket.send(data.toString('utf8'));
    return reply(response, 200);
  }
  if (request.method === 'DELETE') {
    connection.socket.close(1000, 'Closed by the service');
    return reply(response, 204);
  }
  if (request.method === 'GET') {
    return reply(response, 200, {
      ConnectedAt: new Date(connection.connectedAt).toISOString(),
      Identity: { SourceIp: connection.sourceIp },
      LastActiveAt: new Date().toISOString(),
    });
  }
  return reply(response, 405, { message: 'Method Not Allowed' });
};

/**
 * The twin's WebSocket API with API Gateway's semantics: a REQUEST authorizer and $connect on
 * upgrade, route selection on `action`, $disconnect, API Gateway's size, idle and lifetime
 * limits, and an @connections endpoint so ApiGatewayManagementApiClient works unchanged.
 */
export const startWsGateway = async (options: WsGatewayOptions) => {
  const gateway: Gateway = {
    options,
    connections: new Map(),
    wss: new WebSocketServer({ noServer: true, maxPayload: WS_MAX_MESSAGE_BYTES }),
  };
  const { connections, wss } = gateway;
  const http = createServer((request, response) => {
    manage(connections, request, response).catch(() =>
      reply(response, 500, { message: 'Internal server error' }),
    );
  });
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(gateway, request, socket, head).catch(() => refuse(socket, 500));
  });

  await new Promise<void>((resolve) => http.listen(options.port, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${options.port}`,
    managementEndpoint: `http://127.0.0.1:${options.port}`,
    connectionCount: () => connections.size,
    stop: async () => {
      for (const connection of connections.values()) connection.socket.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
};

interface AuthorizerResult {
  principalId?: string;
  policyDocument?: { Statement?: Array<{ Effect?: string }> };
  context?: Record<string, unknown>;
}

const allows = (result: AuthorizerResult | undefined) =>
  result?.policyDocument?.Statement?.some((statement) => statement.Effect === 'Allow') === true &&
  !result.policyDocument.Statement.some((statement) => statement.Effect === 'Deny');

/** API Gateway refuses an authorizer context holding arrays or objects; so does the twin. */
const scalarContext = (
  context: Record<string, unknown> | undefined,
): Record<string, string | number | boolean> => {
  const scalars: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(context ?? {})) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`authorizer context value ${key} is not a scalar`);
    }
    scalars[key] = value;
  }
  return scalars;
};

const statusOf = (result: unknown): number => {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    return Number((result as Exclude<APIGatewayProxyResultV2, string>).statusCode ?? 200);
  }
  return 200;
};

const refuse = (socket: Duplex, status: number) => {
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal Server Error' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ message: text })}`,
  );
};

const reply = (response: ServerResponse, status: number, body?: object, errorType?: string) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  response.writeHead(status, headers);
  response.end(body ? JSON.stringify(body) : undefined);
};
