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

export interface SocketOptions {
  url: string;
  /** The id token to connect with, asked again on every (re)connect. */
  token: () => Promise<string | undefined> | string | undefined;
  /** Messages of a conversation after a message id (oldest first): what a reconnect missed. */
  catchUp?: (conversationId: string, afterMessageId: string) => Promise<Message[]>;
  backoff?: { initialMs: number; maxMs: number };
  /** Defaults to the global WebSocket (browsers, Node 22+). */
  WebSocket?: typeof WebSocket;
}

type Listener = (frame: ServerFrame) => void;

export class ShiftlineSocket {
  readonly #options: SocketOptions;
  readonly #listeners = new Map<FrameType | 'open' | 'close', Set<Listener>>();
  readonly #seen = new Set<string>();
  /** The newest message id seen per conversation: where a catch-up starts. */
  readonly #lastSeen = new Map<string, string>();
  #socket: WebSocket | undefined;
  #attempt = 0;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

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

  /** Listens to the connection dropping (it reconnects unless closed). */
  onClose(listener: () => void): () => void {
    const listeners = this.#listeners.get('close') ?? new Set<Listener>();
    listeners.add(listener);
    this.#listeners.set('close', listeners);
    return () => listeners.delete(listener);
  }

  /** Resolves once the connection is open (now or after the next reconnect). */
  opened(): Promise<void> {
    if (this.#socket?.readyState === 1) return Promise.resolve();
    return new Promise((resolve) => {
      const listeners = this.#listeners.get('open') ?? new Set<Listener>();
      const once = () => {
        listeners.delete(once);
        resolve();
      };
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
    this.#socket?.close(1000);
  }

  async #connect(): Promise<void> {
    const token = await this.#options.token();
    if (this.#closed) return;
    if (!token) return this.#retry();
    const Socket = this.#options.WebSocket ?? globalThis.WebSocket;
    const socket = new Socket(`${this.#options.url}/?token=${encodeURIComponent(token)}`);
    this.#socket = socket;
    socket.onopen = () => {
      const reconnected = this.#attempt > 0 || this.#lastSeen.size > 0;
      this.#attempt = 0;
      this.#emit('open', undefined);
      if (reconnected) void this.#catchUp();
    };
    socket.onmessage = (event) => this.#receive(JSON.parse(String(event.data)) as ServerFrame);
    socket.onclose = () => {
      this.#emit('close', undefined);
      if (!this.#closed) this.#retry();
    };
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
  }

  #emit(type: FrameType | 'open' | 'close', frame: ServerFrame | undefined): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) listener(frame as ServerFrame);
  }
}
