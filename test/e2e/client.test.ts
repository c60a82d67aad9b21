/**
 * The contracts, messaging and real-time story through @shiftline/client, as a frontend would
 * use it: typed calls, a session that refreshes itself on a 401, and a socket that reconnects,
 * catches up what it missed and delivers each message once.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  createShiftlineClient,
  graphql,
  type Message,
  memorySessionStore,
  ok,
  type SessionStore,
  ShiftlineError,
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

const PNG = readFileSync(createRequire(import.meta.url).resolve('swagger-ui-dist/favicon-32x32.png'));

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

  it('uploads a credential document, which the object landing marks uploaded (no read of it needed)', async () => {
    // Prepare
    const staff = await signedIn('staff');
    const me = await ok(staff.api.GET('/me'));
    const credential = await ok(
      staff.api.POST('/staff/{id}/credentials', {
        params: { path: { id: me.staffProfileId ?? '' } },
        body: { type: 'BLS' },
      }),
    );
    const id = { params: { path: { id: credential.id } } };

    // Act
    const upload = await ok(
      staff.api.POST('/credentials/{id}/document', {
        ...id,
        body: { name: 'bls-card.png', contentType: 'image/png', size: PNG.length },
      }),
    );
    const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: upload.uploadHeaders, body: PNG });

    // Assess: only GET /credentials/{id} is read; the bucket event alone moves the document on.
    expect(put.status).toBe(200);
    await expect
      .poll(async () => (await ok(staff.api.GET('/credentials/{id}', id))).document?.status, eventually)
      .toBe('uploaded');
  });

  it('asks GraphQL through the same session, typed from the schema, with REST problems in the errors', async () => {
    // Prepare
    const staff = await signedIn('staff');
    const missing = '01J00000000000000000000000';

    // Act
    const listed = await staff.graphql(
      graphql('query ($limit: Int) { contracts(limit: $limit) { items { id status } } }'),
      { limit: 5 },
    );
    const hidden = await staff.graphql(graphql('query ($id: String!) { contract(id: $id) { id } }'), {
      id: missing,
    });
    const unauthenticated = createShiftlineClient({ baseUrl: twin().urls.api });
    const refused = await unauthenticated
      .graphql(graphql('{ contracts { items { id } } }'))
      .catch((error) => error);

    // Assess
    expect(listed.errors).toEqual([]);
    expect(Array.isArray(listed.data?.contracts.items)).toBe(true);
    expect(hidden.data?.contract ?? null).toBeNull();
    expect(hidden.errors[0]?.extensions).toMatchObject({
      type: 'urn:shiftline:problem:not-found',
      status: 404,
    });
    expect(refused).toBeInstanceOf(ShiftlineError);
    expect(refused).toMatchObject({ status: 401, authError: expect.any(String) });
  });
});
