/** @shiftline/client: a typed client for the Shiftline API and its WebSocket. */
export type { LoginOutcome, Session, SessionStore, Tokens } from './auth.ts';
export { memorySessionStore, ShiftlineError } from './auth.ts';
export type { ClientOptions, ShiftlineClient } from './client.ts';
export { createShiftlineClient } from './client.ts';
export type { components, paths } from './generated/openapi.ts';
export type { ClientAction, FrameOf, FrameType, Message, ServerFrame, SocketOptions } from './socket.ts';
export { ShiftlineSocket } from './socket.ts';
export type { SyncChange, SyncEntityType, SyncResult, SyncStore } from './sync.ts';
export { memorySyncStore } from './sync.ts';
