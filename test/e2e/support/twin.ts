/**
 * e2e helpers: the running twin's URLs, an HTTP client, logins per role and WebSocket clients.
 */
import { inject } from 'vitest';
import WebSocket from 'ws';
import type { Role } from '#domain/roles.ts';
import { readDemoUsers, totpCode } from '../../../scripts/demo-users.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../../scripts/seed.ts';
import type { TwinInfo } from '../../support/twin-process.ts';

export type { TwinInfo };

declare module 'vitest' {
  export interface ProvidedContext {
    twin: TwinInfo;
  }
}

export const twin = (): TwinInfo => inject('twin');

/**
 * How `expect.poll` and `vi.waitFor` wait for what trails a request: stream consumers (audit
 * ledger, notify counters) and the connection registry. Generous, since a slow machine
 * only makes a passing poll slower, never a failing one pass.
 */
export const eventually = { timeout: 30_000, interval: 100 };

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ApiRequest {
  method?: string;
  token?: string;
  /** A JSON value, or a raw string sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert on them.
export const api = async <T = any>(path: string, request: ApiRequest = {}): Promise<ApiResponse<T>> => {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${twin().urls.api}${path}`, {
    method: request.method ?? 'GET',
    headers,
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (HTML, assets): the text is the body.
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
};

export interface Session {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; name: string; roles: Role[] };
}

/** TOTP secrets of the users this test file enrolled, and of the demo users (demo-users.json). */
const totpSecrets = new Map<string, string>();

export const totpSecretOf = (email: string): string | undefined => {
  if (!totpSecrets.has(email))
    for (const user of readDemoUsers(twin().dataDir))
      if (user.totpSecret) totpSecrets.set(user.email, user.totpSecret);
  return totpSecrets.get(email);
};

/**
 * Completes a login answer as a user with an authenticator app would: a SOFTWARE_TOKEN_MFA
 * challenge with a code computed from the user's secret, an MFA_SETUP challenge (roles that
 * require MFA) by enrolling a new secret, remembered for the next login.
 */
export const completeMfa = async (email: string, answer: ApiResponse): Promise<ApiResponse<Session>> => {
  const { challenge, session } = (answer.body ?? {}) as { challenge?: string; session?: string };
  if (answer.status !== 200 || challenge === undefined || challenge === 'NEW_PASSWORD_REQUIRED')
    return answer as ApiResponse<Session>;
  if (challenge === 'SOFTWARE_TOKEN_MFA') {
    const secret = totpSecretOf(email);
    if (secret === undefined) throw new Error(`no TOTP secret for ${email}`);
    return api('/auth/mfa/challenge', { method: 'POST', body: { email, session, code: totpCode(secret) } });
  }
  const setup = await api('/auth/mfa/setup', { method: 'POST', body: { session } });
  if (setup.status !== 200) throw new Error(`MFA setup failed: ${setup.status} ${setup.text}`);
  totpSecrets.set(email, setup.body.secretCode);
  return api('/auth/mfa/verify', {
    method: 'POST',
    body: { email, session, code: totpCode(setup.body.secretCode) },
  });
};

export const login = async (email: string, password: string): Promise<Session> => {
  const answer = await api('/auth/login', { method: 'POST', body: { email, password } });
  const response = await completeMfa(email.trim().toLowerCase(), answer);
  if (response.status !== 200 || !response.body.idToken) {
    throw new Error(`login failed for a test user: ${response.status} ${response.text}`);
  }
  return response.body;
};

const sessions = new Map<Role, Promise<Session>>();

/** The seeded demo user of a role (one login per role per test file), through demo-users.json. */
export const loginAs = (role: Role): Promise<Session> => {
  const user = DEMO_USERS.find((candidate) => candidate.role === role);
  if (!user) throw new Error(`no demo user for ${role}`);
  const session = sessions.get(role) ?? login(user.email, DEMO_PASSWORD);
  sessions.set(role, session);
  return session;
};

/** A unique email for a test's own user. */
export const uniqueEmail = (label: string) =>
  `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@e2e.shiftline.test`;

export interface WsClient {
  socket: WebSocket;
  frames: unknown[];
  /** Resolves with the first frame (already received or future) matching the predicate. */
  next: <T = unknown>(predicate: (frame: T) => boolean, timeoutMs?: number) => Promise<T>;
  send: (frame: unknown) => void;
  close: () => Promise<void>;
}

/** Opens a WebSocket with the token; rejects with the HTTP status when the upgrade is refused. */
export const openWs = (token: string): Promise<WsClient> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(`${twin().urls.ws}/?token=${encodeURIComponent(token)}`);
    const frames: unknown[] = [];
    const waiters: Array<{ predicate: (frame: unknown) => boolean; resolve: (frame: unknown) => void }> = [];
    socket.on('message', (data) => {
      const frame: unknown = JSON.parse(data.toString());
      frames.push(frame);
      for (const waiter of waiters.filter((candidate) => candidate.predicate(frame))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    });
    socket.once('unexpected-response', (_request, response) =>
      reject(new WsRefused(response.statusCode ?? 0)),
    );
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        socket,
        frames,
        send: (frame) => socket.send(JSON.stringify(frame)),
        next: <T>(predicate: (frame: T) => boolean, timeoutMs = 10_000) =>
          new Promise<T>((resolveFrame, rejectFrame) => {
            const seen = frames.find((frame) => predicate(frame as T));
            if (seen !== undefined) return resolveFrame(seen as T);
            const timer = setTimeout(() => rejectFrame(new Error('no matching frame in time')), timeoutMs);
            waiters.push({
              predicate: (frame) => predicate(frame as T),
              resolve: (frame) => {
                clearTimeout(timer);
                resolveFrame(frame as T);
              },
            });
          }),
        close: () =>
          new Promise<void>((resolveClose) => {
            if (socket.readyState === WebSocket.CLOSED) return resolveClose();
            socket.once('close', () => resolveClose());
            socket.close();
          }),
      }),
    );
  });

export class WsRefused extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`WebSocket upgrade refused with ${status}`);
    this.status = status;
  }
}
