/**
 * @shiftline/client's WebSocket when a connection is refused before it opens (a browser sees
 * only 1006): it says why (asked of the HTTP API), asks for a fresh token after `unauthorized`,
 * and stops when there is no session left; an open one pings so the gateway never closes it as idle.
 */
import { describe, expect, it } from 'vitest';
import { diagnoseRefusal, ShiftlineSocket, SocketRefused } from '../../packages/client/src/socket.ts';

/** A WebSocket the test opens or refuses by hand. */
const fakeSockets = () => {
  const opened: FakeSocket[] = [];
  class FakeSocket {
    readonly url: string;
    readyState = 0;
    onopen: (() => void) | null = null;
    onclose: (() => void) | null = null;
    onmessage: ((event: { data: string }) => void) | null = null;
    constructor(url: string) {
      this.url = url;
      opened.push(this);
    }
    accept() {
      this.readyState = 1;
      this.onopen?.();
    }
    refuse() {
      this.readyState = 3;
      this.onclose?.();
    }
    readonly sent: string[] = [];
    send(data: string) {
      this.sent.push(data);
    }
    close() {
      this.refuse();
    }
  }
  return { opened, WebSocket: FakeSocket as unknown as typeof WebSocket };
};

/** Waits (up to 10 s, for a loaded machine) until the condition holds. */
const until = async (condition: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(condition()).toBe(true);
};

describe('a refused WebSocket', () => {
  it('reports why, then reconnects with a fresh token', async () => {
    // Prepare
    const { opened, WebSocket } = fakeSockets();
    const asked: boolean[] = [];
    const refusals: SocketRefused[] = [];
    const socket = new ShiftlineSocket({
      url: 'ws://service',
      WebSocket,
      backoff: { initialMs: 1, maxMs: 1 },
      token: ({ refused }) => {
        asked.push(refused);
        return refused ? 'fresh' : 'stale';
      },
      diagnose: async () => new SocketRefused('unauthorized', 'the token has expired', 401),
    });
    socket.onRefused((refusal) => refusals.push(refusal));

    // Act
    await until(() => opened.length === 1);
    opened[0]?.refuse();
    await until(() => opened.length === 2);
    opened[1]?.accept();
    await socket.opened();

    // Assess
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ reason: 'unauthorized', status: 401 });
    expect(refusals[0]?.message).toContain('the token has expired');
    expect(asked).toEqual([false, true]);
    expect(opened.map((candidate) => candidate.url)).toEqual([
      'ws://service/?token=stale',
      'ws://service/?token=fresh',
    ]);
    socket.close();
  });

  it('stops when there is no session, and opened() rejects', async () => {
    // Prepare
    const { opened, WebSocket } = fakeSockets();
    // Act
    const socket = new ShiftlineSocket({ url: 'ws://service', WebSocket, token: () => undefined });
    const outcome = await socket.opened().catch((error: unknown) => error);
    // Assess
    expect(outcome).toBeInstanceOf(SocketRefused);
    expect(outcome).toMatchObject({ reason: 'signed-out' });
    expect(opened).toHaveLength(0);
  });

  it.each([
    [
      401,
      {
        'www-authenticate':
          'Bearer scope="" error="invalid_token" error_description="the token signature is invalid"',
      },
      { message: 'Unauthorized' },
      { reason: 'unauthorized', status: 401 },
      'the token signature is invalid',
    ],
    [
      401,
      { 'content-type': 'application/problem+json' },
      { type: 'urn:shiftline:problem:session-revoked', detail: 'This session has ended' },
      { reason: 'unauthorized', status: 401 },
      'This session has ended',
    ],
    [200, {}, { id: 'me' }, { reason: 'unreachable', status: undefined }, 'GET /me answered 200'],
  ])('reads a %i from GET /me as the reason', async (status, headers, body, expected, message) => {
    // Prepare
    const fetchImpl = async (request: Request) => {
      expect(request.headers.get('authorization')).toBe('Bearer the-token');
      return new Response(JSON.stringify(body), { status, headers });
    };
    // Act
    const refusal = await diagnoseRefusal('http://service', 'the-token', fetchImpl);
    // Assess
    expect(refusal).toMatchObject(expected);
    expect(refusal.message).toContain(message);
  });
});

describe('an open WebSocket', () => {
  it('pings while open, so the gateway never closes it as idle, and stops when closed', async () => {
    // Prepare
    const { opened, WebSocket } = fakeSockets();
    const socket = new ShiftlineSocket({
      url: 'ws://service',
      WebSocket,
      token: () => 'token',
      heartbeatMs: 5,
    });
    await until(() => opened.length === 1);
    const live = opened[0] as (typeof opened)[number];

    // Act
    live.accept();
    await until(() => live.sent.length >= 2);
    socket.close();
    const sentWhenClosed = live.sent.length;
    await new Promise((resolve) => setTimeout(resolve, 30));

    // Assess
    expect(new Set(live.sent)).toEqual(new Set([JSON.stringify({ action: 'ping' })]));
    expect(live.sent.length).toBe(sentWhenClosed);
  });
});
