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

interface LiveConnection {
  socket: WebSocket;
  connectedAt: number;
  authorizer: Record<string, string | number | boolean>;
  sourceIp: string;
}

const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * The twin's WebSocket API with API Gateway's semantics: a REQUEST authorizer and $connect on
 * upgrade, route selection on `action`, $disconnect, API Gateway's size, idle and lifetime
 * limits, and an @connections endpoint so ApiGatewayManagementApiClient works unchanged.
 */
export const startWsGateway = async (options: WsGatewayOptions) => {
  const connections = new Map<string, LiveConnection>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_MESSAGE_BYTES });
  const http = createServer((request, response) => {
    manage(request, response).catch(() => reply(response, 500, { message: 'Internal server error' }));
  });

  const baseContext = (
    connectionId: string,
    routeKey: string,
    eventType: string,
    connection?: LiveConnection,
  ) => ({
    routeKey,
    eventType,
    connectionId,
    requestId: gatewayRequestId(),
    messageId: eventType === 'MESSAGE' ? randomUUID() : undefined,
    extendedRequestId: gatewayRequestId(),
    apiId: 'local',
    stage: 'local',
    domainName: `127.0.0.1:${options.port}`,
    connectedAt: connection?.connectedAt ?? Date.now(),
    requestTimeEpoch: Date.now(),
    authorizer: connection?.authorizer,
    identity: { sourceIp: connection?.sourceIp ?? '127.0.0.1' },
  });

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(request, socket, head).catch(() => refuse(socket, 500));
  });

  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const connectionId = randomUUID().replaceAll('-', '').slice(0, 16);
    const query = Object.fromEntries(url.searchParams);
    const headers = headersOf(request.headers);
    const authorizerEvent = {
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:local:000000000000:local/local/$connect`,
      headers,
      queryStringParameters: query,
      requestContext: baseContext(connectionId, '$connect', 'CONNECT'),
    } as unknown as APIGatewayRequestAuthorizerEvent;
    let context: Record<string, string | number | boolean>;
    try {
      const result = (await options.authorizer(
        authorizerEvent as never,
        createLambdaContext('authorize'),
      )) as AuthorizerResult;
      if (!allows(result)) return refuse(socket, 403);
      context = scalarContext(result.context);
      if (result.principalId !== undefined) context.principalId = result.principalId;
    } catch (error) {
      // Throwing "Unauthorized" is the authorizer's way to answer 401; anything else is a 500.
      return refuse(socket, error instanceof Error && error.message === 'Unauthorized' ? 401 : 500);
    }
    const connection: Omit<LiveConnection, 'socket'> = {
      connectedAt: Date.now(),
      authorizer: context,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    };
    const connectResult = await invoke('$connect', {
      headers,
      queryStringParameters: query,
      isBase64Encoded: false,
      requestContext: baseContext(connectionId, '$connect', 'CONNECT', connection as LiveConnection),
    });
    const status = statusOf(connectResult);
    if (status >= 300) return refuse(socket, status);
    wss.handleUpgrade(request, socket, head, (ws) => attach(connectionId, { ...connection, socket: ws }));
  };

  const attach = (connectionId: string, connection: LiveConnection) => {
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
      if (Buffer.byteLength(text) > WS_MAX_FRAME_BYTES)
        return connection.socket.close(1009, 'Message too big');
      const routeKey = selectRoute(text, isBinary);
      void invoke(routeKey, {
        body: text,
        isBase64Encoded: false,
        requestContext: baseContext(connectionId, routeKey, 'MESSAGE', connection),
      }).catch(() => undefined);
    });
    connection.socket.on('close', () => {
      clearTimeout(idle);
      clearTimeout(lifetime);
      connections.delete(connectionId);
      void invoke('$disconnect', {
        isBase64Encoded: false,
        requestContext: baseContext(connectionId, '$disconnect', 'DISCONNECT', connection),
      }).catch(() => undefined);
    });
  };

  const selectRoute = (text: string, isBinary: boolean): string => {
    if (isBinary) return '$default';
    try {
      const action = (JSON.parse(text) as { action?: unknown }).action;
      if (typeof action === 'string' && action in options.routes && !action.startsWith('$')) return action;
    } catch {
      // Not JSON: API Gateway falls back to $default.
    }
    return '$default';
  };

  const invoke = async (routeKey: string, event: object) => {
    const handler = options.routes[routeKey];
    if (!handler) return undefined;
    return handler(event as never, createLambdaContext(routeKey));
  };

  /** The @connections management API: POST (send), GET (info), DELETE (disconnect). */
  const manage = async (request: IncomingMessage, response: ServerResponse) => {
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
