/**
 * The AsyncAPI document of the WebSocket protocol: generated from the frame schemas, it has a
 * message and a valid example for every action and for every frame the notify consumer and
 * `$default` send, and points at nothing outside the service.
 */
import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { BadRequest } from '#domain/errors.ts';
import { type ItemChange, notificationOf } from '#domain/realtime/frames.ts';
import { SERVER_FRAME_SCHEMAS, ServerFrameSchema } from '#domain/schemas/realtime.ts';
import { buildAsyncApiDocument, CLIENT_ACTION_SCHEMAS } from '#runtime/asyncapi.ts';
import { FRAME_EXAMPLES } from '#runtime/asyncapi-examples.ts';
import { buildOpenApiDocument } from '#runtime/openapi.ts';
import { errorFrame } from '#runtime/ws-frames.ts';

const document = buildAsyncApiDocument({ version: '1.0.0' });
const messageNames = Object.values(document.components.messages).map((message) => message.name);

const OWNER = '9b2e4d6f-1a3c-4e5f-8a7b-0c1d2e3f4a5b';
const ID = '01JF3ZQ8W2V5K9T4R6M1N7P0XA';

/** One item change per kind the notify consumer maps to a frame. */
const CHANGES: ItemChange[] = [
  {
    eventName: 'INSERT',
    newImage: {
      kind: 'Message',
      id: ID,
      conversationId: ID,
      senderId: OWNER,
      clientMessageId: 'c-1',
      body: 'hello',
      sentAt: '2026-03-02T18:04:05.120Z',
    },
  },
  {
    eventName: 'MODIFY',
    newImage: {
      kind: 'ConversationMember',
      conversationId: ID,
      userId: OWNER,
      readUpTo: ID,
      readAt: '2026-03-02T18:04:05.120Z',
    },
  },
  {
    eventName: 'INSERT',
    newImage: { kind: 'Contract', id: ID, ownerUserId: OWNER, status: 'draft', currentVersion: 1 },
  },
  {
    eventName: 'INSERT',
    newImage: { kind: 'Credential', id: ID, ownerUserId: OWNER, staffId: ID, status: 'pending' },
  },
  {
    eventName: 'INSERT',
    newImage: {
      kind: 'Appointment',
      id: ID,
      ownerUserId: OWNER,
      staffId: ID,
      status: 'scheduled',
      startAt: '2026-03-06T19:00:00.000Z',
    },
  },
];

describe('the AsyncAPI document', () => {
  it('is AsyncAPI 3 with one message per action and per frame type, each with an example that parses', () => {
    expect(document.asyncapi).toMatch(/^3\./);
    const keys = [...Object.keys(CLIENT_ACTION_SCHEMAS), ...Object.keys(SERVER_FRAME_SCHEMAS)];
    expect(messageNames.sort()).toEqual([...keys].sort());
    const schemas: Record<string, { parse: (value: unknown) => unknown }> = {
      ...CLIENT_ACTION_SCHEMAS,
      ...SERVER_FRAME_SCHEMAS,
    };
    for (const message of Object.values(document.components.messages)) {
      expect(message.examples, message.name).toHaveLength(1);
      expect(() => schemas[message.name]?.parse(message.examples[0]?.payload), message.name).not.toThrow();
      expect(document.components.schemas).toHaveProperty(message.title);
    }
  });

  it('validates with the AsyncAPI parser, without errors or warnings', async () => {
    // Prepare
    const served = buildAsyncApiDocument({
      version: '1.0.0',
      server: { host: 'localhost:3001', pathname: '/', protocol: 'ws' },
    });
    // Act
    const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(served));
    // Assess: severity 0 is an error, 1 a warning (2 and 3 are hints such as "3.1 exists").
    expect(diagnostics.filter((diagnostic) => diagnostic.severity < 2)).toEqual([]);
    expect(parsed?.messages().length).toBe(Object.keys(document.components.messages).length);
  });

  it('covers every frame the notify consumer sends', () => {
    const types = CHANGES.map((change) => {
      const frame = notificationOf(change)?.frame;
      expect(() => ServerFrameSchema.parse(frame)).not.toThrow();
      return frame?.type;
    });
    expect(new Set(types).size).toBe(CHANGES.length);
    for (const type of types) expect(messageNames).toContain(type);
  });

  it('covers every frame $default sends: ack, pong and error', () => {
    const frames = [
      { type: 'ack', clientMessageId: 'c-1', messageId: ID },
      { type: 'pong' },
      errorFrame(new BadRequest('no'), 'req-1', 'c-1'),
    ];
    for (const frame of frames) {
      expect(() => ServerFrameSchema.parse(frame)).not.toThrow();
      expect(messageNames).toContain(frame.type);
    }
  });

  it('answers each action with the frames $default replies with', () => {
    const replies = (action: string) =>
      (document.operations as Record<string, { reply?: { messages: Array<{ $ref: string }> } }>)[
        action
      ]?.reply?.messages.map((ref) => ref.$ref.split('/').at(-1));
    expect(replies('sendMessage')).toEqual(['AckFrame', 'ErrorFrame']);
    expect(replies('ping')).toEqual(['PongFrame']);
    expect(replies('markRead')).toEqual(['ErrorFrame']);
  });

  it('documents the close codes, and neither document points at files outside the service', () => {
    for (const code of ['1000', '1001', '1006', '1009']) expect(document.info.description).toContain(code);
    const openApi = buildOpenApiDocument({ version: '1.0.0', servers: [] });
    for (const text of [JSON.stringify(document), JSON.stringify(openApi)])
      expect(text).not.toMatch(/\b[A-Z]+\.md\b/);
    expect(openApi.info.description).toContain('/asyncapi.json');
  });

  it('keeps every example in the table it is generated from', () => {
    expect(Object.keys(FRAME_EXAMPLES).sort()).toEqual(messageNames.sort());
  });
});
