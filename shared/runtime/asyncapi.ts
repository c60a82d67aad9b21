/**
 * The AsyncAPI 3 document of the WebSocket API, generated from the zod schemas the frames are
 * parsed and typed with (client actions in schemas/messaging.ts, server frames in
 * schemas/realtime.ts): how to connect, every action and frame with an example, close codes.
 * The document describes the service: it receives actions and sends frames.
 */
import {
  getOpenApiMetadata,
  getRefId,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
} from '@asteasolutions/zod-to-openapi';
import type * as z from 'zod';
import {
  WsMarkReadFrameSchema,
  WsPingFrameSchema,
  WsSendMessageFrameSchema,
} from '#domain/schemas/messaging.ts';
import { SERVER_FRAME_SCHEMAS } from '#domain/schemas/realtime.ts';
import { WS_MAX_CONNECTION_SECONDS, WS_MAX_FRAME_BYTES } from '#shared/limits.ts';
import { FRAME_EXAMPLES } from './asyncapi-examples.ts';

export const CLIENT_ACTION_SCHEMAS = {
  sendMessage: WsSendMessageFrameSchema,
  markRead: WsMarkReadFrameSchema,
  ping: WsPingFrameSchema,
} as const;

/** What each action is answered with (markRead only when refused). */
const REPLIES: Record<keyof typeof CLIENT_ACTION_SCHEMAS, string[]> = {
  sendMessage: ['ack', 'error'],
  markRead: ['error'],
  ping: ['pong'],
};

const nameOf = (schema: z.ZodType): string => {
  const name = getRefId(schema);
  if (!name) throw new Error('a frame schema has no .openapi() name');
  return name;
};

const CONNECTION = `Connect to the WebSocket URL (the stack's \`WebSocketUrl\` output; \`ws://localhost:3001\` on the twin) with the **id token** in the query: \`wss://…/?token=<idToken>\` (browsers cannot set headers on the upgrade). Every frame is one JSON text message; client frames carry \`action\`, server frames \`type\`.

- **Refused connection**: a missing, invalid, expired or revoked token is refused with HTTP 401 before the upgrade (API Gateway allows no body or close frame there). A browser sees only \`onclose\` with code 1006 and no status, the same as a network failure. To tell them apart, call \`GET /me\` with the same token: a 401 carries the reason in \`www-authenticate\` (\`error_description="the token has expired"\`, \`…signature is invalid\`, …) or a \`session-revoked\` problem; a 2xx means the token is fine and the WebSocket endpoint failed (retry with backoff). On a 401, refresh the token once (\`POST /auth/refresh\`) and reconnect; if the refresh fails, log in again. \`@shiftline/client\` does this and reports a \`SocketRefused\` error (\`unauthorized\`, \`unreachable\` or \`signed-out\`) to \`onRefused\` listeners.
- **Close codes**: 1000 \`Closed by the service\` (the token expired: the next frame after expiry closes the connection; reconnect with a fresh token); 1001 \`Going away\` (10 minutes without a client frame — send \`ping\` — or the ${WS_MAX_CONNECTION_SECONDS / 3600} h connection limit: reconnect); 1009 \`Message too big\` (a frame over ${WS_MAX_FRAME_BYTES / 1024} KB); 1006 (no close frame: network loss or a refused upgrade).
- **Reconnecting**: back off with jitter; after a reconnect, catch up each open conversation with \`GET /conversations/{id}/messages?after=<last message id>\` and drop duplicates by message id. Frames are at-least-once.
- **Who gets what**: \`message.created\` and \`message.read\` go to every connection of every participant of the conversation (the sender's other tabs included); \`contract.updated\`, \`credential.updated\` and \`appointment.updated\` go to the owner of the item (the staff member), re-checked against the access policy per connection; \`staff.flagged\` goes to every connection of a credentialing or admin user and to the flagged staff member; \`webhook.endpoint.disabled\` goes to every connection of an admin user.`;

export interface AsyncApiOptions {
  version: string;
  /** The WebSocket endpoint, when the function knows it (the twin's, or the stage's in AWS). */
  server?: { host: string; pathname: string; protocol: 'ws' | 'wss' };
}

const channelRef = { $ref: '#/channels/realtime' };
const messageRef = (name: string) => ({ $ref: `#/channels/realtime/messages/${name}` });

export const buildAsyncApiDocument = (options: AsyncApiOptions) => {
  const registry = new OpenAPIRegistry();
  const actions = Object.entries(CLIENT_ACTION_SCHEMAS);
  const frames = Object.entries(SERVER_FRAME_SCHEMAS);
  for (const [, schema] of [...actions, ...frames]) registry.register(nameOf(schema), schema);
  const { components } = new OpenApiGeneratorV31(registry.definitions).generateComponents();
  const messages = Object.fromEntries(
    [...actions, ...frames].map(([key, schema]) => {
      const name = nameOf(schema);
      const example = FRAME_EXAMPLES[key];
      return [
        name,
        {
          name: key,
          title: name,
          summary: getOpenApiMetadata(schema).description as string | undefined,
          payload: { $ref: `#/components/schemas/${name}` },
          examples: example ? [{ name: key, payload: example }] : [],
        },
      ];
    }),
  );
  const frameName = (type: string) => nameOf(SERVER_FRAME_SCHEMAS[type as keyof typeof SERVER_FRAME_SCHEMAS]);
  const operations = {
    ...Object.fromEntries(
      actions.map(([action, schema]) => [
        action,
        {
          action: 'receive',
          channel: channelRef,
          summary: `The \`${action}\` action`,
          messages: [messageRef(nameOf(schema))],
          reply: {
            channel: channelRef,
            messages: REPLIES[action as keyof typeof REPLIES].map((type) => messageRef(frameName(type))),
          },
        },
      ]),
    ),
    ...Object.fromEntries(
      frames
        .filter(([type]) => !['ack', 'error', 'pong'].includes(type))
        .map(([type, schema]) => [
          `send.${type}`,
          {
            action: 'send',
            channel: channelRef,
            summary: `The \`${type}\` frame`,
            messages: [messageRef(nameOf(schema))],
          },
        ]),
    ),
  };
  return {
    asyncapi: '3.0.0',
    info: { title: 'Shiftline real time', version: options.version, description: CONNECTION },
    defaultContentType: 'application/json',
    ...(options.server ? { servers: { shiftline: { ...options.server } } } : {}),
    channels: {
      realtime: {
        address: '/',
        title: 'The WebSocket connection',
        messages: Object.fromEntries(
          Object.keys(messages).map((name) => [name, { $ref: `#/components/messages/${name}` }]),
        ),
        bindings: {
          ws: {
            query: {
              type: 'object',
              properties: {
                token: { type: 'string', description: 'A Cognito id token (from POST /auth/login)' },
              },
              required: ['token'],
            },
          },
        },
      },
    },
    operations,
    components: { messages, schemas: components?.schemas ?? {} },
  };
};
