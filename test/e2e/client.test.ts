/**
 * The contracts, messaging and real-time story through @shiftline/client, as a frontend would
 * use it: typed calls, a session that refreshes itself on a 401, and a socket that reconnects,
 * catches up what it missed and delivers each message once.
 */
import { describe, expect, it } from 'vitest';
import {
  createShiftlineClient,
  type Message,
  memorySessionStore,
  type SessionStore,
} from '../../packages/client/src/index.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../scripts/seed.ts';
import { eventually, twin } from './support/twin.ts';

const emailOf = (role: string) => DEMO_USERS.find((user) => user.role === role)?.email ?? '';

const signedIn = async (role: string, store: SessionStore = memorySessionStore()) => {
  const client = createShiftlineClient({ baseUrl: twin().urls.api, wsUrl: twin().urls.ws, store });
  const outcome = await client.login(emailOf(role), DEMO_PASSWORD);
  if (!('signedIn' in outcome)) throw new Error(`${role} got a challenge`);
  return client;
};

/** Records the raw sockets the client opens, so a test can drop one as a network would. */
const recordingWebSocket = (opened: WebSocket[]) =>
  class extends WebSocket {
    constructor(url: string | URL) {
      super(url);
      opened.push(this);
    }
  };

describe('@shiftline/client', () => {
  it('lists contracts with typed calls, and refreshes once when the token is refused', async () => {
    // Prepare
    const store = memorySessionStore();
    const staff = await signedIn('staff', store);
    const session = store.get();
    if (!session) throw new Error('no session');

    // Act
    const contracts = await staff.api.GET('/contracts', { params: { query: { limit: 5 } } });
    // A token the gateway refuses (as an expired one is): the client refreshes and retries.
    const stale = `${session.idToken.slice(0, -4)}AAAA`;
    store.set({ ...session, idToken: stale });
    const me = await staff.api.GET('/me');

    // Assess
    expect(contracts.response.status).toBe(200);
    expect(Array.isArray(contracts.data?.items)).toBe(true);
    expect(me.response.status).toBe(200);
    expect(me.data?.roles).toContain('staff');
    expect(store.get()?.idToken).not.toBe(stale);
  });

  it('chats live, and after a dropped connection catches up and delivers each message once', async () => {
    // Prepare
    const [recruiter, staff] = await Promise.all([signedIn('recruiter'), signedIn('staff')]);
    const staffId = staff.session()?.user.id ?? '';
    const opened = await recruiter.api.POST('/conversations', {
      body: { participantIds: [staffId], subject: 'Through the client' },
    });
    const conversationId = opened.data?.id ?? '';
    const raw: WebSocket[] = [];
    const staffSocket = staff.socket({
      WebSocket: recordingWebSocket(raw),
      backoff: { initialMs: 1000, maxMs: 1000 },
    });
    const recruiterSocket = recruiter.socket();
    const received: Message[] = [];
    staffSocket.on('message.created', (frame) => received.push(frame.message));
    await Promise.all([staffSocket.opened(), recruiterSocket.opened()]);

    try {
      // Act: one message live, one while the staff member's connection is down.
      const liveId = await recruiterSocket.sendMessage(conversationId, 'Live over the socket');
      await expect.poll(() => received.map((message) => message.id), eventually).toContain(liveId);
      const dropped = new Promise<void>((resolve) => staffSocket.onClose(resolve));
      raw[0]?.close();
      await dropped;
      const missed = await recruiter.api.POST('/conversations/{id}/messages', {
        params: { path: { id: conversationId } },
        body: { body: 'Sent while you were away' },
      });

      // Assess
      expect(missed.response.status).toBe(201);
      await expect.poll(() => received.map((message) => message.id), eventually).toContain(missed.data?.id);
      expect(raw.length).toBeGreaterThan(1);
      expect(new Set(received.map((message) => message.id)).size).toBe(received.length);
    } finally {
      staffSocket.close();
      recruiterSocket.close();
    }
  });
});
