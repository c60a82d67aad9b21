/**
 * WebSocket client frames: parsing against the frame schemas (unknown action or fields → 400
 * problem), and the error frame that carries a problem back to the client.
 */

import type * as z from 'zod';
import { BadRequest, ValidationFailed } from '#domain/errors.ts';
import type { ServerFrame } from '#domain/realtime/frames.ts';
import {
  WsMarkReadFrameSchema,
  WsPingFrameSchema,
  WsSendMessageFrameSchema,
} from '#domain/schemas/messaging.ts';
import { fieldErrorsOf } from './http-input.ts';
import { type Problem, problemOf } from './problem.ts';

const FRAME_SCHEMAS = {
  sendMessage: WsSendMessageFrameSchema,
  markRead: WsMarkReadFrameSchema,
  ping: WsPingFrameSchema,
} as const;

export type ClientFrame = z.infer<(typeof FRAME_SCHEMAS)[keyof typeof FRAME_SCHEMAS]>;

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('A frame must be a JSON object with an action');
  }
};

export const parseClientFrame = (text: string | undefined): ClientFrame => {
  const raw = parseJson(text ?? '');
  const action = typeof raw === 'object' && raw !== null ? (raw as { action?: unknown }).action : undefined;
  const schema = typeof action === 'string' ? FRAME_SCHEMAS[action as keyof typeof FRAME_SCHEMAS] : undefined;
  if (!schema || !Object.hasOwn(FRAME_SCHEMAS, String(action))) {
    throw new BadRequest(`Unknown action; use one of ${Object.keys(FRAME_SCHEMAS).join(', ')}`, [
      { path: 'body.action', message: 'unknown action' },
    ]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new ValidationFailed(fieldErrorsOf('body', result.error.issues));
  return result.data;
};

/** The clientMessageId of a frame that may not have parsed, so the client can match the error. */
export const clientMessageIdOf = (text: string | undefined): string | undefined => {
  try {
    const id = (JSON.parse(text ?? '') as { clientMessageId?: unknown }).clientMessageId;
    return typeof id === 'string' && id.length <= 64 ? id : undefined;
  } catch {
    return undefined;
  }
};

export const errorFrame = (
  error: unknown,
  requestId: string,
  clientMessageId?: string,
): Extract<ServerFrame, { type: 'error' }> & { problem: Problem } => ({
  type: 'error',
  ...(clientMessageId ? { clientMessageId } : {}),
  problem: problemOf(error, requestId),
});
