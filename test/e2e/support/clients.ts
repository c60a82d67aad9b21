/**
 * The e2e stories' callers as a frontend has them: `@shiftline/client` over a session of the
 * twin's (a seeded role's, or a test's own staff member's), so each story exercises the typed
 * calls, the session's refresh and the WebSocket client.
 */
import { decodeJwt } from 'jose';
import type { Role } from '#domain/roles.ts';
import {
  createShiftlineClient,
  memorySessionStore,
  type ServerFrame,
  type ShiftlineClient,
  type ShiftlineSocket,
  type SocketOptions,
  type Tokens,
} from '../../../packages/client/src/index.ts';
import { loginAs, type Session, twin } from './twin.ts';

/** A client signed in with an existing session (no second login: the twin throttles logins). */
export const clientOf = (session: Session): ShiftlineClient => {
  const store = memorySessionStore();
  const expiresAt = (decodeJwt(session.idToken).exp ?? 0) * 1000;
  store.set({ ...(session as Session & Pick<Tokens, 'expiresIn'>), expiresAt });
  return createShiftlineClient({ baseUrl: twin().urls.api, wsUrl: twin().urls.ws, store });
};

const clients = new Map<Role, Promise<ShiftlineClient>>();

/** The seeded demo user of a role, as a client (one per role per test file). */
export const clientAs = (role: Role): Promise<ShiftlineClient> => {
  const client = clients.get(role) ?? loginAs(role).then(clientOf);
  clients.set(role, client);
  return client;
};

type Init = { params?: Record<string, unknown>; body?: unknown };
type LooseRequest = (
  method: string,
  path: string,
  init: Init,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/**
 * A route named by data (`POST /contracts/{id}/offer`, an access matrix's row), called through
 * the client: its path template, path and query parameters as openapi-fetch takes them.
 */
export const callRoute = (
  client: ShiftlineClient,
  route: string,
  init: {
    path?: Record<string, string>;
    query?: Record<string, string>;
    header?: Record<string, string>;
    body?: unknown;
  },
) => {
  const [method = 'GET', template = ''] = route.split(' ');
  const request = client.api.request as unknown as LooseRequest;
  return request(method, template, {
    params: { path: init.path ?? {}, query: init.query ?? {}, header: init.header ?? {} },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
};

export interface LiveSocket {
  socket: ShiftlineSocket;
  /** Every frame received so far (message.created deduplicated by the client). */
  frames: ServerFrame[];
  /** The first frame (already received or future) matching the predicate. */
  next: <T extends ServerFrame = ServerFrame>(
    predicate: (frame: T) => boolean,
    timeoutMs?: number,
  ) => Promise<T>;
  close: () => void;
}

/** A client's WebSocket, open, recording its frames for a test to wait on. */
export const openLive = async (
  client: ShiftlineClient,
  options: Partial<SocketOptions> = {},
): Promise<LiveSocket> => {
  const socket = client.socket(options);
  const frames: ServerFrame[] = [];
  const waiters = new Set<{
    predicate: (frame: ServerFrame) => boolean;
    resolve: (frame: ServerFrame) => void;
  }>();
  socket.onAny((frame) => {
    frames.push(frame);
    for (const waiter of [...waiters].filter((candidate) => candidate.predicate(frame))) {
      waiters.delete(waiter);
      waiter.resolve(frame);
    }
  });
  await socket.opened();
  return {
    socket,
    frames,
    next: <T extends ServerFrame>(predicate: (frame: T) => boolean, timeoutMs = 10_000) =>
      new Promise<T>((resolve, reject) => {
        const seen = frames.find((frame) => predicate(frame as T));
        if (seen !== undefined) return resolve(seen as T);
        const timer = setTimeout(() => reject(new Error('no matching frame in time')), timeoutMs);
        waiters.add({
          predicate: (frame) => predicate(frame as T),
          resolve: (frame) => {
            clearTimeout(timer);
            resolve(frame as T);
          },
        });
      }),
    close: () => socket.close(),
  };
};
