/**
 * A browser app on another origin (as a Vite dev server would be) against the twin: it logs in,
 * lists contracts, opens a conversation, and sends a message over the WebSocket that comes back
 * live, in Debian's headless Chromium, with no CORS refusal in its console; and what such an
 * app can learn of a refused WebSocket (what @shiftline/client's diagnosis relies on).
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../scripts/seed.ts';
import { openPage } from './support/chromium.ts';
import { tamperedTokens } from './support/tokens.ts';
import { api, eventually, loginAs, twin } from './support/twin.ts';

// The app: every call a frontend makes first, each step recorded for the test to read.
const APP = `<!doctype html><html><body><script type="module">
const params = new URLSearchParams(location.search);
const [apiUrl, wsUrl] = [params.get('api'), params.get('ws')];
window.steps = {};
try {
  const login = await fetch(apiUrl + '/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: params.get('email'), password: params.get('password') }),
  });
  const session = await login.json();
  window.steps.login = login.status;
  const auth = { authorization: 'Bearer ' + session.idToken };
  const contracts = await fetch(apiUrl + '/contracts', { headers: auth });
  window.steps.contracts = { status: contracts.status, requestId: contracts.headers.get('x-request-id') };
  const opened = await fetch(apiUrl + '/conversations', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ participantIds: [params.get('staffId')], subject: 'From the browser' }),
  });
  const conversation = await opened.json();
  window.steps.conversation = opened.status;
  const socket = new WebSocket(wsUrl + '/?token=' + encodeURIComponent(session.idToken));
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  const clientMessageId = crypto.randomUUID();
  const live = new Promise((resolve) => {
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === 'message.created' && frame.message.clientMessageId === clientMessageId) resolve(frame);
    };
  });
  socket.send(JSON.stringify({ action: 'sendMessage', conversationId: conversation.id, body: 'Hello from the browser', clientMessageId }));
  window.steps.live = (await live).message.body;
  socket.close();
} catch (error) {
  window.steps.error = String(error);
}
window.steps.done = true;
</script></body></html>`;

// What a browser app can learn of a refused WebSocket: the close event, then GET /me with the same token.
const REFUSED = `<!doctype html><html><body><script type="module">
const params = new URLSearchParams(location.search);
const token = params.get('token');
const socket = new WebSocket(params.get('ws') + '/?token=' + encodeURIComponent(token));
const closed = await new Promise((resolve) => {
  socket.onclose = (event) => resolve({ code: event.code, reason: event.reason, wasClean: event.wasClean });
});
const me = await fetch(params.get('api') + '/me', { headers: { authorization: 'Bearer ' + token } });
window.steps = { closed, me: { status: me.status, challenge: me.headers.get('www-authenticate') }, done: true };
</script></body></html>`;

let appServer: Server;
let appOrigin: string;

beforeAll(async () => {
  appServer = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(request.url?.startsWith('/refused') ? REFUSED : APP);
  });
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  const address = appServer.address();
  appOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise((resolve) => appServer.close(resolve)));

describe('a browser app served from another origin', () => {
  it('logs in, lists contracts and chats live, with no CORS error', async () => {
    // Prepare
    const staff = await loginAs('staff');
    const recruiter = DEMO_USERS.find((user) => user.role === 'recruiter');
    const query = new URLSearchParams({
      api: twin().urls.api,
      ws: twin().urls.ws,
      email: recruiter?.email ?? '',
      password: DEMO_PASSWORD,
      staffId: staff.user.id,
    });
    expect(new URL(twin().urls.api).origin).not.toBe(appOrigin);

    // Act
    const page = await openPage(`${appOrigin}/?${query}`);
    try {
      await expect
        .poll(() => page.evaluate<{ done?: boolean }>('window.steps ?? {}'), eventually)
        .toMatchObject({ done: true });
      const steps = await page.evaluate<Record<string, unknown>>('window.steps');

      // Assess
      expect(steps).toEqual({
        login: 200,
        contracts: { status: 200, requestId: expect.any(String) },
        conversation: 201,
        live: 'Hello from the browser',
        done: true,
      });
      expect(page.console.filter((line) => /CORS|Access-Control/i.test(line))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('sees a refused WebSocket only as 1006, and reads why from GET /me with the same token', async () => {
    // Prepare
    const staff = await loginAs('staff');
    const { expired } = await tamperedTokens(staff.idToken);
    const query = new URLSearchParams({ api: twin().urls.api, ws: twin().urls.ws, token: expired });

    // Act
    const page = await openPage(`${appOrigin}/refused?${query}`);
    try {
      await expect
        .poll(() => page.evaluate<{ done?: boolean }>('window.steps ?? {}'), eventually)
        .toMatchObject({ done: true });
      const steps = await page.evaluate<Record<string, unknown>>('window.steps');

      // Assess: no status, no reason on the socket; the HTTP API's answer says it (CORS exposes it).
      expect(steps).toEqual({
        closed: { code: 1006, reason: '', wasClean: false },
        me: {
          status: 401,
          challenge: 'Bearer scope="" error="invalid_token" error_description="the token has expired"',
        },
        done: true,
      });
    } finally {
      await page.close();
    }
  });

  it('gets a preflight answered by the gateway, naming the origin', async () => {
    const preflight = await api('/auth/login', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});
