/** @shiftline/client: a typed client for the Shiftline API and its WebSocket. */
export type { GatewayError, LoginOutcome, Problem, Session, SessionStore, Tokens } from './auth.ts';
export { memorySessionStore, ok, problemOf, ShiftlineError } from './auth.ts';
export type { ClientOptions, ShiftlineClient } from './client.ts';
export { createShiftlineClient } from './client.ts';
export type { components, paths } from './generated/openapi.ts';
export type {
  GraphqlDocument,
  GraphqlError,
  GraphqlJson,
  GraphqlResult,
  GraphqlVariablesArgument,
  ResultOf,
  VariablesOf,
} from './graphql.ts';
export { graphql } from './graphql.ts';
export type { ClientAction, FrameOf, FrameType, Message, ServerFrame, SocketOptions } from './socket.ts';
export { ShiftlineSocket, SocketRefused } from './socket.ts';
export type { SyncChange, SyncEntityType, SyncResult, SyncStore } from './sync.ts';
export { memorySyncStore } from './sync.ts';
