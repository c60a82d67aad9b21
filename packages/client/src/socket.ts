/**
 * A WebSocket to the service, typed from its AsyncAPI schemas: connects with a fresh token,
 * reconnects with exponential backoff and jitter, catches up each conversation it has seen
 * through `?after=` on reconnect, and delivers each message once (deduplicated by id).
 */
import type { components } from './generated/frames.ts';

type Frames = components['schemas'];
export type Message = Frames['Message'];
export type ClientAction = Frames['SendMessageAction'] | Frames['MarkReadAction'] | Frames['PingAction'];
export type ServerFrame =
  | Frames['AckFrame']
  | Frames['ErrorFrame']
  | Frames['PongFrame']
  | Frames['MessageCreatedFrame']
  | Frames['MessageReadFrame']
  | Frames['ContractUpdatedFrame']
  | Frames['CredentialUpdatedFrame']
  | Frames['AppointmentUpdatedFrame'];
export type FrameType = ServerFrame['type'];
export type FrameOf<T extends FrameType> = Extract<ServerFrame, { type: T }>;

/**
 * Why a connection was refused before it opened. Browsers hide the HTTP answer of a refused
 * upgrade (they report close code 1006 and nothing else), so the client asks the HTTP API
 * about the same token (`diagnose`): 401 with the gateway's reason, or the socket's own
 * endpoint is what failed.
 */
export class SocketRefused extends Error {
  /** `unauthorized`: the token was refused; `signed-out`: no token to connect with; `unreachable`: the token is fine, the endpoint did not answer. */
  readonly reason: 'unauthorized' | 'signed-out' | 'unreachable';
  /** The HTTP status the same token gets from the HTTP API (401), when that is the reason. */
  readonly status: number | undefined;
  constructor(reason: SocketRefused['reason'], detail: string, status?: number) {
    super(`WebSocket refused (${reason}): ${detail}`);
    this.name = 'SocketRefused';
    this.reason = reason;
    this.status = status;
  }
}

export interface SocketOptions {
  url: string;
  /**
   * The id token to connect with, asked again on every (re)connect; `refused` is set after the
   * last token was refused (get a fresh one). Undefined means signed out: the socket stops.
   */
  token: (attempt: { refused: boolean }) => Promise<string | undefined> | string | undefined;
  /** Why this token could not connect (see SocketRefused); without it, refusals say `unreachable`. */
  diagnose?: (token: string) => Promise<SocketRefused>;
  /** Messages of a conversation after a message id (oldest first): what a reconnect missed. */
  catchUp?: (conversationId: string, afterMessageId: string) => Promise<Message[]>;
  backoff?: { initialMs: number; maxMs: number };
  /**
   * How often an open connection sends `ping` (default 5 minutes; 0 turns it off). API Gateway
   * closes a WebSocket that has been idle for 10 minutes; a heartbeat saves the reconnect.
   */
  heartbeatMs?: number;
  /** Defaults to the global WebSocket (browsers, Node 22+). */
  WebSocket?: typeof WebSocket;
}

type Listener = (frame: ServerFrame) => void;
type Event = FrameType | '*' | 'open' | 'close' | 'refused';

export class ShiftlineSocket {
  readonly #options: SocketOptions;
  readonly #listeners = new Map<Event, Set<Listener>>();
  readonly #seen = new Set<string>();
  /** The newest message id seen per conversation: where a catch-up starts. */
  readonly #lastSeen = new Map<string, string>();
  #socket: WebSocket | undefined;
  #attempt = 0;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Set when the last attempt was refused before opening: the next one asks for a fresh token. */
  #refused = false;

  constructor(options: SocketOptions) {
    this.#options = options;
    void this.#connect();
  }

  /** Listens to one frame type; returns the function that stops listening. */
  on<T extends FrameType>(type: T, listener: (frame: FrameOf<T>) => void): () => void {
    const listeners = this.#listeners.get(type) ?? new Set<Listener>();
    listeners.add(listener as Listener);
    this.#listeners.set(type, listeners);
    return () => listeners.delete(listener as Listener);
  }

  /** Listens to every frame (after dedupe), e.g. to log them or keep a view in step. */
  onAny(listener: (frame: ServerFrame) => void): () => void {
    const listeners = this.#listeners.get('*') ?? new Set<Listener>();
    listeners.add(listener);
    this.#listeners.set('*', listeners);
    return () => listeners.delete(listener);
  }

  /** Listens to the connection dropping (it reconnects unless closed). */
  onClose(listener: () => void): () => void {
    const listeners = this.#listeners.get('close') ?? new Set<Listener>();
    listeners.add(listener);
    this.#listeners.set('close', listeners);
    return () => listeners.delete(listener);
  }

  /**
   * Listens to refusals: each attempt that failed before opening, with its reason. After
   * `signed-out` the socket has stopped (log in again and open a new one); otherwise it retries.
   */
  onRefused(listener: (refusal: SocketRefused) => void): () => void {
    const listeners = this.#listeners.get('refused') ?? new Set<Listener>();
    const wrapped = listener as unknown as Listener;
    listeners.add(wrapped);
    this.#listeners.set('refused', listeners);
    return () => listeners.delete(wrapped);
  }

  /** Resolves once the connection is open (now or after a reconnect); rejects when it stops signed out. */
  opened(): Promise<void> {
    if (this.#socket?.readyState === 1) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listeners = this.#listeners.get('open') ?? new Set<Listener>();
      const once = () => {
        listeners.delete(once);
        stopRefused();
        resolve();
      };
      const stopRefused = this.onRefused((refusal) => {
        if (refusal.reason !== 'signed-out') return;
        listeners.delete(once);
        stopRefused();
        reject(refusal);
      });
      listeners.add(once);
      this.#listeners.set('open', listeners);
    });
  }

  send(action: ClientAction): void {
    if (this.#socket?.readyState !== 1) throw new Error('the socket is not open');
    this.#socket.send(JSON.stringify(action));
  }

  /** Sends a message and resolves with its id once acknowledged (rejects on an error frame). */
  sendMessage(conversationId: string, body: string): Promise<string> {
    const clientMessageId = globalThis.crypto.randomUUID();
    return new Promise((resolve, reject) => {
      const stopAck = this.on('ack', (frame) => {
        if (frame.clientMessageId !== clientMessageId) return;
        stop();
        resolve(frame.messageId);
      });
      const stopError = this.on('error', (frame) => {
        if (frame.clientMessageId !== clientMessageId) return;
        stop();
        reject(
          Object.assign(new Error(frame.problem.detail ?? frame.problem.title), { problem: frame.problem }),
        );
      });
      const stop = () => {
        stopAck();
        stopError();
      };
      this.send({ action: 'sendMessage', conversationId, body, clientMessageId });
    });
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#heartbeat);
    this.#socket?.close(1000);
  }

  async #connect(): Promise<void> {
    const token = await Promise.resolve(this.#options.token({ refused: this.#refused })).catch(
      () => undefined,
    );
    if (this.#closed) return;
    if (!token) {
      this.#closed = true;
      this.#emit('refused', new SocketRefused('signed-out', 'no session to connect with; log in again'));
      return;
    }
    const Socket = this.#options.WebSocket ?? globalThis.WebSocket;
    const socket = new Socket(`${this.#options.url}/?token=${encodeURIComponent(token)}`);
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.#refused = false;
      const reconnected = this.#attempt > 0 || this.#lastSeen.size > 0;
      this.#attempt = 0;
      this.#beat(socket);
      this.#emit('open', undefined);
      if (reconnected) void this.#catchUp();
    };
    socket.onmessage = (event) => this.#receive(JSON.parse(String(event.data)) as ServerFrame);
    socket.onclose = () => {
      clearInterval(this.#heartbeat);
      if (opened) this.#emit('close', undefined);
      if (this.#closed) return;
      if (opened) return this.#retry();
      void this.#refusedWith(token).then(() => {
        if (!this.#closed) this.#retry();
      });
    };
  }

  /** A connection that never opened: says why, and asks for a fresh token next time if it was the token. */
  async #refusedWith(token: string): Promise<void> {
    const unknown = new SocketRefused('unreachable', 'the WebSocket endpoint did not accept the connection');
    const refusal = this.#options.diagnose
      ? await this.#options.diagnose(token).catch(() => unknown)
      : unknown;
    this.#refused = refusal.reason === 'unauthorized';
    this.#emit('refused', refusal);
  }

  /** Pings while this socket is open, so the gateway never closes it as idle. */
  #beat(socket: WebSocket): void {
    const every = this.#options.heartbeatMs ?? 5 * 60_000;
    clearInterval(this.#heartbeat);
    if (every <= 0) return;
    this.#heartbeat = setInterval(() => {
      if (socket.readyState === 1) socket.send(JSON.stringify({ action: 'ping' }));
    }, every);
  }

  /** Exponential backoff with full jitter, so a fleet of clients does not reconnect in step. */
  #retry(): void {
    const { initialMs, maxMs } = this.#options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const ceiling = Math.min(maxMs, initialMs * 2 ** this.#attempt);
    this.#attempt += 1;
    this.#timer = setTimeout(() => void this.#connect(), Math.random() * ceiling);
  }

  async #catchUp(): Promise<void> {
    if (!this.#options.catchUp) return;
    for (const [conversationId, after] of [...this.#lastSeen]) {
      const missed = await this.#options.catchUp(conversationId, after).catch(() => []);
      for (const message of missed) this.#receive({ type: 'message.created', conversationId, message });
    }
  }

  #receive(frame: ServerFrame): void {
    if (frame.type === 'message.created') {
      if (this.#seen.has(frame.message.id)) return;
      this.#seen.add(frame.message.id);
      const last = this.#lastSeen.get(frame.conversationId);
      // ULIDs sort by time: the newest id is the greatest.
      if (last === undefined || frame.message.id > last)
        this.#lastSeen.set(frame.conversationId, frame.message.id);
    }
    this.#emit(frame.type, frame);
    this.#emit('*', frame);
  }

  #emit(type: Event, frame: ServerFrame | SocketRefused | undefined): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) listener(frame as ServerFrame);
  }
}

/**
 * Why the WebSocket refused a token, asked of the HTTP API (whose gateway says why, in
 * `www-authenticate`): a refused upgrade's own answer never reaches browser code.
 */
export const diagnoseRefusal = async (
  baseUrl: string,
  token: string,
  fetchImpl: (request: Request) => Promise<Response>,
): Promise<SocketRefused> => {
  const response = await fetchImpl(
    new Request(`${baseUrl}/me`, { headers: { authorization: `Bearer ${token}` } }),
  );
  if (response.status !== 401 && response.status !== 403)
    return new SocketRefused(
      'unreachable',
      `the token is valid (GET /me answered ${response.status}); the WebSocket endpoint failed`,
    );
  const challenge = response.headers.get('www-authenticate') ?? '';
  const problem = (await response.json().catch(() => ({}))) as { detail?: string; message?: string };
  const detail =
    /error_description="([^"]*)"/.exec(challenge)?.[1] ?? problem.detail ?? problem.message ?? 'refused';
  return new SocketRefused('unauthorized', detail, response.status);
};
