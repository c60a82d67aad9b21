/**
 * The typed API client: openapi-fetch over the service's OpenAPI types, with the session's
 * bearer token on every call, a refresh shortly before expiry or once on a 401 (then the call
 * is retried once), and login (with its NEW_PASSWORD_REQUIRED challenge) and logout.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import {
  type LoginOutcome,
  memorySessionStore,
  type Session,
  type SessionStore,
  ShiftlineError,
  sessionOf,
} from './auth.ts';
import type { paths } from './generated/openapi.ts';
import { createGraphql } from './graphql.ts';
import { diagnoseRefusal, ShiftlineSocket, type SocketOptions } from './socket.ts';
import { type SyncStore, syncInto } from './sync.ts';

export interface ClientOptions {
  /** The HTTP API, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** The WebSocket API, e.g. `ws://localhost:3001`. */
  wsUrl?: string;
  store?: SessionStore;
  fetch?: typeof fetch;
  /** Called when the session ends for good (refresh refused): send the user to log in. */
  onSignedOut?: () => void;
  /** Refresh this long before the tokens expire (default 60 s). */
  refreshMarginMs?: number;
}

const AUTH_PATHS = /\/auth\/(login|refresh|new-password|signup|confirm)$/;

export const createShiftlineClient = (options: ClientOptions) => {
  const store = options.store ?? memorySessionStore();
  const fetchImpl = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const api = createClient<paths>({ baseUrl: options.baseUrl, fetch: fetchImpl });
  const margin = options.refreshMarginMs ?? 60_000;
  let refreshing: Promise<boolean> | undefined;

  const refreshNow = async (): Promise<boolean> => {
    const session = store.get();
    if (!session) return false;
    const { data } = await api.POST('/auth/refresh', { body: { refreshToken: session.refreshToken } });
    if (!data) {
      store.set(undefined);
      options.onSignedOut?.();
      return false;
    }
    store.set({ ...session, ...data, expiresAt: Date.now() + data.expiresIn * 1000 });
    return true;
  };
  /** One refresh at a time, however many calls found the token stale. */
  const refresh = () => {
    refreshing ??= refreshNow().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  const retries = new WeakMap<Request, Request>();
  const auth: Middleware = {
    async onRequest({ request }) {
      if (AUTH_PATHS.test(new URL(request.url).pathname)) return request;
      if ((store.get()?.expiresAt ?? Number.POSITIVE_INFINITY) - margin < Date.now()) await refresh();
      const session = store.get();
      if (session) request.headers.set('authorization', `Bearer ${session.idToken}`);
      retries.set(request, request.clone());
      return request;
    },
    async onResponse({ request, response }) {
      const retry = retries.get(request);
      if (response.status !== 401 || !retry || !store.get()) return response;
      if (!(await refresh())) return response;
      retry.headers.set('authorization', `Bearer ${store.get()?.idToken}`);
      return fetchImpl(retry);
    },
  };
  api.use(auth);

  const signedIn = (answer: {
    data?: Parameters<typeof sessionOf>[0] | { challenge: string; session: string };
    error?: unknown;
    response: Response;
  }) => {
    if (!answer.data) throw new ShiftlineError(answer.response.status, answer.error, answer.response.headers);
    // An invited admin's new password is followed by MFA_SETUP: log in again to enrol.
    if ('challenge' in answer.data)
      throw new ShiftlineError(answer.response.status, answer.data, answer.response.headers);
    const session = sessionOf(answer.data);
    store.set(session);
    return session;
  };

  const challengeOutcome = (email: string, challenge: string, session: string): LoginOutcome => {
    if (challenge === 'SOFTWARE_TOKEN_MFA')
      return {
        mfaCodeRequired: async (code) =>
          signedIn(await api.POST('/auth/mfa/challenge', { body: { email, session, code } })),
      };
    if (challenge === 'MFA_SETUP')
      return {
        mfaSetupRequired: async () => {
          const setup = await api.POST('/auth/mfa/setup', { body: { session } });
          if (!setup.data)
            throw new ShiftlineError(setup.response.status, setup.error, setup.response.headers);
          const { secretCode, otpauthUri } = setup.data;
          const verify = async (code: string) =>
            signedIn(await api.POST('/auth/mfa/verify', { body: { email, session, code } }));
          return { secretCode, otpauthUri, verify };
        },
      };
    return {
      newPasswordRequired: async (newPassword) =>
        signedIn(await api.POST('/auth/new-password', { body: { email, session, newPassword } })),
    };
  };

  const login = async (email: string, password: string): Promise<LoginOutcome> => {
    const answer = await api.POST('/auth/login', { body: { email, password } });
    if (answer.data && 'challenge' in answer.data)
      return challengeOutcome(email, answer.data.challenge, answer.data.session);
    return { signedIn: signedIn(answer) };
  };

  const logout = async () => {
    const session = store.get();
    if (!session) return;
    await api.POST('/auth/logout', { body: { refreshToken: session.refreshToken } });
    store.set(undefined);
  };

  /** A live connection, authenticated with the session's id token (fresh on every reconnect). */
  const socket = (socketOptions: Partial<SocketOptions> = {}) => {
    if (!options.wsUrl) throw new Error('createShiftlineClient needs wsUrl for a socket');
    return new ShiftlineSocket({
      url: options.wsUrl,
      token: async ({ refused }) => {
        if (refused || (store.get()?.expiresAt ?? 0) - margin < Date.now()) await refresh();
        return store.get()?.idToken;
      },
      diagnose: (token) => diagnoseRefusal(options.baseUrl, token, fetchImpl),
      catchUp: async (conversationId, after) => {
        const { data } = await api.GET('/conversations/{id}/messages', {
          params: { path: { id: conversationId }, query: { after, limit: 100 } },
        });
        return data?.items ?? [];
      },
      ...socketOptions,
    });
  };

  /** Offline sync: every page of changes ready now, applied to `syncStore` (src/sync.ts). */
  const sync = (syncStore: SyncStore, syncOptions: { limit?: number } = {}) =>
    syncInto(api, syncStore, syncOptions);

  return {
    api,
    graphql: createGraphql(api),
    login,
    logout,
    refresh,
    session: (): Session | undefined => store.get(),
    socket,
    sync,
  };
};

export type ShiftlineClient = ReturnType<typeof createShiftlineClient>;
