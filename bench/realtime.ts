/**
 * Real-time latency on the twin: a message written over HTTP → its `message.created` frame on
 * each of 1, 10 and 100 connected WebSocket clients (the staff member's tabs). The clock starts
 * when the POST is sent, so the figure includes the gateway, the write and the send path's
 * fan-out through @connections (messages no longer wait for the stream). Messages go one at a time (the next once every client has the
 * previous one): this is latency, not queueing. Then send throughput over WebSocket: senders
 * send `sendMessage` frames back to back, each after the previous ack.
 *
 * Run alone: `node bench/realtime.ts` (npm run bench runs it too).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ROOT, startTwinProcess } from '../test/support/twin-process.ts';
import { type BacklogFigure, backlogSection, measureBacklog } from './backlog.ts';
import { autocannonOptions, benchContext } from './http.ts';
import { settle } from './process-cpu.ts';
import { measureCrowdLatency } from './realtime-crowd.ts';
import { benchCount, benchSeconds } from './scale.ts';
import { WARM_UP_SECONDS, warmUp } from './warm-up.ts';
import { openDemoConversation } from './workloads/messaging.ts';
import type { BenchContext } from './workloads.ts';

export interface LatencyFigure {
  clients: number;
  /** Users the clients belong to: 1 when they are one user's tabs (absent in older figures). */
  users?: number;
  messages: number;
  receipts: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ThroughputFigure {
  senders: number;
  seconds: number;
  acksPerSecond: number;
  errors: number;
}

export interface RealtimeFigures {
  latency: LatencyFigure[];
  throughput: ThroughputFigure[];
  backlog?: BacklogFigure;
}

const MESSAGES_PER_RUN = benchCount(100);
/** Messages sent before each latency run is counted: they warm the consumer and the connections up. */
export const WARM_UP_MESSAGES = 5;
const THROUGHPUT_SECONDS = benchSeconds(10);

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export interface BenchSocket {
  socket: WebSocket;
  onFrame: (listener: (frame: { type?: string; message?: { clientMessageId?: string } }) => void) => void;
}

export const connect = (wsUrl: string, token: string) =>
  new Promise<BenchSocket>((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}/?token=${encodeURIComponent(token)}`);
    const listeners: Array<(frame: never) => void> = [];
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as never;
      for (const listener of listeners) listener(frame);
    });
    socket.once('error', reject);
    socket.once('open', () => resolve({ socket, onFrame: (listener) => listeners.push(listener) }));
  });

/** Latency to `receivers` (one token per connection: one user's tabs, or many users). */
export const measureLatency = async (
  wsUrl: string,
  api: string,
  tokens: { sender: string; receivers: readonly string[] },
  conversationId: string,
): Promise<LatencyFigure> => {
  const clients = tokens.receivers.length;
  const sockets = await Promise.all(tokens.receivers.map((token) => connect(wsUrl, token)));
  const waiting = new Map<string, { startedAt: number; left: number; done: () => void }>();
  const latencies: number[] = [];
  for (const { onFrame } of sockets) {
    onFrame((frame) => {
      const pending =
        frame.type === 'message.created' ? waiting.get(frame.message?.clientMessageId ?? '') : undefined;
      if (!pending) return;
      latencies.push(performance.now() - pending.startedAt);
      pending.left -= 1;
      if (pending.left === 0) pending.done();
    });
  }
  try {
    for (let index = 0; index < MESSAGES_PER_RUN + WARM_UP_MESSAGES; index += 1) {
      const clientMessageId = `latency-${clients}-${index}-${process.pid}`;
      const received = new Promise<void>((done) =>
        waiting.set(clientMessageId, { startedAt: performance.now(), left: clients, done }),
      );
      const response = await fetch(`${api}/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.sender}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: `latency probe ${index}`, clientMessageId }),
      });
      if (response.status !== 201) throw new Error(`send failed: ${response.status}`);
      await received;
      waiting.delete(clientMessageId);
      // The first few warm the consumer and the connections' caches up; they are not counted.
      if (index < WARM_UP_MESSAGES) latencies.length = 0;
    }
  } finally {
    for (const { socket } of sockets) socket.close();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    clients,
    users: new Set(tokens.receivers).size,
    messages: MESSAGES_PER_RUN,
    receipts: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
};

/**
 * Sends into a conversation of its own while the staff member is connected: the send path and its
 * fan-out, warm, with the measured conversation's counters untouched.
 */
const warmLivePath = async (wsUrl: string, context: BenchContext) => {
  const { recruiter, staff } = context.sessions;
  const conversationId = await openDemoConversation(context, 'Realtime bench warm-up');
  const { socket } = await connect(wsUrl, staff.idToken);
  try {
    const send = autocannonOptions(context.api, {
      method: 'POST',
      path: `/conversations/${conversationId}/messages`,
      token: recruiter.idToken,
      body: { body: 'warm-up', clientMessageId: 'warm-up-0' },
      vary: (body, sequence) => ({
        ...(body as object),
        clientMessageId: `warm-up-${process.pid}-${sequence}`,
      }),
    });
    await warmUp([send]);
  } finally {
    socket.close();
  }
};

const measureThroughput = async (
  wsUrl: string,
  token: string,
  conversationId: string,
  senders: number,
): Promise<ThroughputFigure> => {
  const sockets = await Promise.all(Array.from({ length: senders }, () => connect(wsUrl, token)));
  const deadline = performance.now() + THROUGHPUT_SECONDS * 1000;
  let acks = 0;
  let errors = 0;
  await Promise.all(
    sockets.map(
      ({ socket, onFrame }, sender) =>
        new Promise<void>((finished) => {
          let sequence = 0;
          const sendNext = () => {
            if (performance.now() >= deadline) return finished();
            sequence += 1;
            socket.send(
              JSON.stringify({
                action: 'sendMessage',
                conversationId,
                body: `throughput ${sender}-${sequence}`,
                clientMessageId: `tp-${process.pid}-${senders}-${sender}-${sequence}`,
              }),
            );
          };
          onFrame((frame) => {
            if (frame.type === 'ack') acks += 1;
            else if (frame.type === 'error') errors += 1;
            else return;
            sendNext();
          });
          sendNext();
        }),
    ),
  );
  for (const { socket } of sockets) socket.close();
  return {
    senders,
    seconds: THROUGHPUT_SECONDS,
    acksPerSecond: Math.round(acks / THROUGHPUT_SECONDS),
    errors,
  };
};

export const measureRealtime = async (): Promise<RealtimeFigures> => {
  const dataDir = join(ROOT, '.data', 'bench', `realtime-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const twin = await startTwinProcess({
    dataDir,
    inMemory: true,
    logFile: join(dataDir, 'twin.log'),
    // Throughput is the measure: the route throttles (50 logins/s in AWS) would cap it.
    env: { SHIFTLINE_ROUTE_THROTTLES: 'off' },
  });
  try {
    const context = await benchContext(twin.info.urls.api, dataDir);
    const { recruiter, staff } = context.sessions;
    const conversationId = await openDemoConversation(context, 'Realtime bench');
    await warmLivePath(twin.info.urls.ws, context);
    if (twin.child.pid !== undefined) await settle(twin.child.pid);
    const latency: LatencyFigure[] = [];
    for (const clients of [1, 10, 100]) {
      const tokens = { sender: recruiter.idToken, receivers: Array(clients).fill(staff.idToken) };
      latency.push(await measureLatency(twin.info.urls.ws, context.api, tokens, conversationId));
      console.error(`realtime latency @${clients}: ${JSON.stringify(latency.at(-1))}`);
    }
    latency.push(await measureCrowdLatency(twin.info.urls.ws, context, twin.info.confirmationCode));
    console.error(`realtime latency, one conversation of many users: ${JSON.stringify(latency.at(-1))}`);
    const throughput: ThroughputFigure[] = [];
    for (const senders of [10, 50]) {
      throughput.push(await measureThroughput(twin.info.urls.ws, recruiter.idToken, conversationId, senders));
      console.error(`realtime throughput @${senders}: ${JSON.stringify(throughput.at(-1))}`);
    }
    const backlog = await measureBacklog(twin.info.urls.ws, context, conversationId);
    console.error(`backlog after a burst: ${JSON.stringify(backlog)}`);
    return { latency, throughput, backlog };
  } finally {
    await twin.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

/** The RESULTS.md section. */
export const realtimeSection = (figures: RealtimeFigures): string[] => [
  '## Real time on the twin',
  '',
  'A message written over HTTP → its `message.created` frame on each connected client (the staff',
  "member's tabs), timed from sending the POST: gateway, write, the send path's fan-out through",
  `@connections (no stream on the way). On a warm twin (${WARM_UP_SECONDS} s of sends into the conversation first,`,
  `bench/warm-up.ts), ${MESSAGES_PER_RUN} messages one at a time after 5 warm-up ones.`,
  '',
  '| connected clients | users | receipts | p50 | p99 | max |',
  '|---:|---:|---:|---:|---:|---:|',
  ...figures.latency.map(
    (figure) =>
      `| ${figure.clients} | ${figure.users ?? 1} | ${figure.receipts} | ${figure.p50Ms} ms | ${figure.p99Ms} ms | ${figure.maxMs} ms |`,
  ),
  '',
  "One user: the staff member's tabs. Many users: a full conversation (MAX_PARTICIPANTS = 99 people,",
  "the product's limit: the sender and staff members, the sender with two tabs, one each for the others).",
  '',
  `Send throughput over WebSocket: each sender sends \`sendMessage\` after the previous ack, ${THROUGHPUT_SECONDS} s`,
  "(every message also fans out to the recruiter's and staff member's open connections, here the senders).",
  '',
  '| senders | acks/s | errors |',
  '|---:|---:|---:|',
  ...figures.throughput.map((figure) => `| ${figure.senders} | ${figure.acksPerSecond} | ${figure.errors} |`),
  '',
  'Peer (FACTS.md): Parse Server LiveQuery write → event with 1 subscriber p50 3.6–4.8 ms, p99 28–60 ms.',
  '',
  ...(figures.backlog ? backlogSection(figures.backlog) : []),
];

if (import.meta.main) {
  const figures = await measureRealtime();
  console.log(realtimeSection(figures).join('\n'));
}
