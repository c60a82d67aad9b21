import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const dynamo = mockClient(DynamoDBDocumentClient);
const gateway = mockClient(ApiGatewayManagementApiClient);
let handler: typeof import('../../functions/ws/default.ts')['handler'];

const CONVERSATION = '01JQ00000000000000000000CV';
const nowSeconds = () => Math.floor(Date.now() / 1000);

const frameEvent = (body: unknown, exp = nowSeconds() + 3600) =>
  ({
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      routeKey: '$default',
      eventType: 'MESSAGE',
      connectionId: 'conn-1',
      requestId: 'ws-req-1',
      connectedAt: Date.now() - 1000,
      authorizer: { sub: 'alice', roles: '[recruiter]', exp },
    },
  }) as unknown as APIGatewayProxyWebsocketEventV2;

const replies = () =>
  gateway
    .commandCalls(PostToConnectionCommand)
    .map((call) => JSON.parse(Buffer.from(call.args[0].input.Data as Uint8Array).toString()));

beforeAll(async () => {
  vi.stubEnv('MAIN_TABLE_NAME', 'Main');
  vi.stubEnv('WS_MANAGEMENT_ENDPOINT', 'https://ws.example/live');
  // Each test says what the session record holds: no cache between them.
  vi.stubEnv('SESSION_CACHE_SECONDS', '0');
  ({ handler } = await import('../../functions/ws/default.ts'));
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  dynamo.reset();
  gateway.reset();
  gateway.on(PostToConnectionCommand).resolves({});
  gateway.on(DeleteConnectionCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
  // Forgetting a connection takes it out of its user's presence item; nobody else is live.
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(BatchGetCommand).resolves({ Responses: {} });
  dynamo.on(QueryCommand).resolves({ Items: [] });
  // The caller's session record: none (no revocation), unless a test says so.
  dynamo.on(GetCommand).resolves({});
});

describe('ws $default', () => {
  it('answers ping with pong', async () => {
    await handler(frameEvent({ action: 'ping' }));
    expect(replies()).toEqual([{ type: 'pong' }]);
  });

  it.each([
    ['an unknown action', { action: 'shout' }, 400],
    ['text that is not JSON', 'hello', 400],
    ['a frame with unknown fields', { action: 'ping', extra: 1 }, 400],
  ])('answers %s with an error frame carrying a problem', async (_label, body, status) => {
    await handler(frameEvent(body));
    expect(replies()).toEqual([
      { type: 'error', problem: expect.objectContaining({ status, requestId: 'ws-req-1' }) },
    ]);
  });

  it('acks a sent message with its id, and returns the clientMessageId on an error', async () => {
    dynamo.on(GetCommand).resolves({
      Item: {
        conversationId: CONVERSATION,
        userId: 'alice',
        participantIds: ['alice', 'bob'],
        createdAt: 'x',
        lastMessageAt: 'x',
      },
    });
    dynamo.on(PutCommand).resolves({});
    const send = { action: 'sendMessage', conversationId: CONVERSATION, body: 'hi', clientMessageId: 'c-9' };
    await handler(frameEvent(send));
    const [ack] = replies();
    expect(ack).toMatchObject({ type: 'ack', clientMessageId: 'c-9' });
    expect(ack.messageId).toMatch(/^[0-9A-Z]{26}$/);
    // The message body never reaches a log line: it is only in the Put.
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      body: 'hi',
      senderId: 'alice',
    });

    gateway.resetHistory();
    dynamo.on(GetCommand).resolves({});
    await handler(frameEvent(send));
    expect(replies()).toEqual([
      { type: 'error', clientMessageId: 'c-9', problem: expect.objectContaining({ status: 404 }) },
    ]);
  });

  it('tells a connection whose session has ended, and closes it instead of serving it', async () => {
    // Prepare
    dynamo.on(GetCommand, { Key: { pk: 'SESSION#alice', sk: 'SESSION#alice' } }).resolves({
      Item: { kind: 'UserSession', sessionsValidAfter: nowSeconds() + 1, ttl: nowSeconds() + 60 },
    });
    // Act
    await handler(frameEvent({ action: 'ping' }));
    // Assess
    expect(replies()).toEqual([{ type: 'session.revoked', reason: 'revoked' }]);
    expect(gateway.commandCalls(DeleteConnectionCommand)[0]?.args[0].input.ConnectionId).toBe('conn-1');
    expect(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toMatchObject({ pk: 'CONN#conn-1' });
  });

  it('closes a connection whose token has expired instead of serving it', async () => {
    await handler(frameEvent({ action: 'ping' }, nowSeconds() - 1));
    expect(replies()).toEqual([]);
    expect(gateway.commandCalls(DeleteConnectionCommand)[0]?.args[0].input.ConnectionId).toBe('conn-1');
    expect(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toMatchObject({ pk: 'CONN#conn-1' });
  });
});
