/**
 * `npm run soak [-- --minutes N]`: load held. The twin (started as `npm start` starts it) takes
 * message sends at 80 % of the send capacity it measures first, for 10 minutes by default, while
 * 100 WebSocket connections (the staff member's tabs) receive every `message.created`. Every
 * 30 s it records the sends' p50/p99 and the RSS of the twin's Node process and of DynamoDB
 * Local; at the end it checks that nothing was lost: frames received = frames owed (acknowledged
 * messages × connections) and one ledger entry per acknowledged message; then the verdicts: the
 * memory (Node + Java RSS) flat within 10 % and p99 stable, the sample after the first minute
 * against the last. Writes its table and verdicts into
 * bench/RESULTS.md (between soak markers). Not part of `npm test`.
 */

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { LOCAL_REGION, localCredentials } from '../local/local-aws.ts';
import { listenerPids } from '../local/port-holders.ts';
import { TABLE_NAMES } from '../local/twin.ts';
import { ROOT, startTwinProcess } from '../test/support/twin-process.ts';
import { benchContext } from './http.ts';
import { SOAK_END, SOAK_START, withoutSoakSection } from './soak-section.ts';
import { openDemoConversation } from './workloads/messaging.ts';

const minutesArgument = process.argv.indexOf('--minutes');
const MINUTES = Number(minutesArgument === -1 ? 10 : process.argv[minutesArgument + 1]);
const CONNECTIONS = 100;
const SAMPLE_MS = 30_000;
const HEARTBEAT_MS = 60_000;

const rssMb = (pid: number | undefined) => {
  if (pid === undefined) return 0;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  return line ? Number(line[1]) / 1024 : 0;
};

interface Sample {
  minutes: number;
  sends: number;
  p50Ms: number;
  p99Ms: number;
  twinRssMb: number;
  dynamodbRssMb: number;
}

const sampleRow = (sample: Sample) =>
  `| ${sample.minutes.toFixed(1)} min | ${sample.sends} | ${sample.p50Ms.toFixed(0)} ms | ${sample.p99Ms.toFixed(0)} ms | ${sample.twinRssMb.toFixed(0)} MB | ${sample.dynamodbRssMb.toFixed(0)} MB |`;

const MEMORY_DRIFT = 0.1;

/** The issue's verdicts: memory (Node + Java RSS) flat within 10 % and p99 stable, first minute vs last sample. */
const verdicts = (samples: readonly Sample[]): string[] => {
  // The sample after the first minute: the twin and the JVM have warmed up by then.
  const first = samples.find((sample) => sample.minutes >= 1) ?? samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined || first === last)
    return ['Memory and p99: too few samples to compare (run longer than a minute).'];
  const rss = (sample: Sample) => sample.twinRssMb + sample.dynamodbRssMb;
  const drift = rss(last) / rss(first) - 1;
  const flat = Math.abs(drift) <= MEMORY_DRIFT;
  const p99Ratio = last.p99Ms / Math.max(first.p99Ms, 1);
  const samplesAfter = samples.slice(samples.indexOf(first));
  const worstP99 = Math.max(...samplesAfter.map((sample) => sample.p99Ms));
  const stable = p99Ratio <= 1.5;
  return [
    `Memory (twin Node + DynamoDB Local RSS): ${rss(first).toFixed(0)} MB at ${first.minutes.toFixed(1)} min (${first.twinRssMb.toFixed(0)} + ${first.dynamodbRssMb.toFixed(0)}),`,
    `${rss(last).toFixed(0)} MB at ${last.minutes.toFixed(1)} min (${last.twinRssMb.toFixed(0)} + ${last.dynamodbRssMb.toFixed(0)}): ${drift >= 0 ? '+' : ''}${(drift * 100).toFixed(1)} % —`,
    `${flat ? 'flat within 10 %: met' : `not flat: missed by ${((Math.abs(drift) - MEMORY_DRIFT) * 100).toFixed(1)} points`}.`,
    `p99: ${first.p99Ms.toFixed(0)} ms at ${first.minutes.toFixed(1)} min, ${last.p99Ms.toFixed(0)} ms at ${last.minutes.toFixed(1)} min (worst sample since ${worstP99.toFixed(0)} ms):`,
    `${stable ? 'stable (the last within 1.5× the first): met' : `rising ${p99Ratio.toFixed(1)}×: not stable`}.`,
  ];
};

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Receivers: 100 sockets of the staff member, counting message.created frames per message id. */
const openReceivers = async (wsUrl: string, token: string) => {
  const received = new Map<string, number>();
  const sockets = await Promise.all(
    Array.from(
      { length: CONNECTIONS },
      () =>
        new Promise<WebSocket>((done, fail) => {
          const socket = new WebSocket(`${wsUrl}/?token=${encodeURIComponent(token)}`);
          socket.on('message', (data) => {
            const frame = JSON.parse(data.toString()) as { type?: string; message?: { id?: string } };
            const id = frame.type === 'message.created' ? frame.message?.id : undefined;
            if (id) received.set(id, (received.get(id) ?? 0) + 1);
          });
          socket.once('open', () => done(socket));
          socket.once('error', fail);
        }),
    ),
  );
  // A live client speaks at least every 10 minutes, or API Gateway (and the twin) closes it as idle.
  const heartbeat = setInterval(() => {
    for (const socket of sockets) socket.send(JSON.stringify({ action: 'ping' }));
  }, HEARTBEAT_MS);
  const close = () => {
    clearInterval(heartbeat);
    for (const socket of sockets) socket.close();
  };
  return { received, close };
};

/** Sends per second the twin sustains at 10 connections (5 s): the soak runs at 80 % of it. */
const sendCapacity = async (url: string, token: string) => {
  let sequence = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: 10,
    duration: 5,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({
            body: 'capacity probe',
            clientMessageId: `cap-${process.pid}-${sequence++}`,
          }),
        }),
      },
    ],
  });
  return result.requests.average;
};

/** Sends at `rate` per second for `ms`, sampling latency and memory; the acknowledged ids. */
const soak = async (
  url: string,
  token: string,
  rate: number,
  ms: number,
  pids: { twin?: number; dynamodb?: number },
) => {
  const acked: string[] = [];
  const samples: Sample[] = [];
  let window: number[] = [];
  let sequence = 0;
  const started = Date.now();
  let nextSample = started + SAMPLE_MS;
  const inFlight = new Set<Promise<void>>();
  const takeSample = () => {
    const sorted = [...window].sort((a, b) => a - b);
    const sample: Sample = {
      minutes: (Date.now() - started) / 60_000,
      sends: window.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      twinRssMb: rssMb(pids.twin),
      dynamodbRssMb: rssMb(pids.dynamodb),
    };
    samples.push(sample);
    console.error(sampleRow(sample));
    window = [];
  };
  while (Date.now() - started < ms) {
    const sentAt = performance.now();
    const send = fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'soak', clientMessageId: `soak-${process.pid}-${sequence++}` }),
    })
      .then(async (response) => {
        if (response.status === 201) acked.push(((await response.json()) as { id: string }).id);
        window.push(performance.now() - sentAt);
      })
      .finally(() => inFlight.delete(send));
    inFlight.add(send);
    if (Date.now() >= nextSample) {
      takeSample();
      nextSample += SAMPLE_MS;
    }
    await new Promise((done) => setTimeout(done, 1000 / rate));
  }
  await Promise.all(inFlight);
  // The last (partial) window too: the end of the soak is what the verdicts compare.
  if (window.length > 0) takeSample();
  return { acked, samples };
};

/** Ledger entries of today's Message chains (the byTypeDay index, counted page by page). */
const ledgerMessageEntries = async (endpoint: string) => {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials });
  let count = 0;
  let position: QueryCommand['input']['ExclusiveStartKey'];
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: TABLE_NAMES.ledger,
        IndexName: 'byTypeDay',
        KeyConditionExpression: 'typeDayKey = :day',
        ExpressionAttributeValues: {
          ':day': { S: `TYPEDAY#Message#${new Date().toISOString().slice(0, 10)}` },
        },
        Select: 'COUNT',
        ExclusiveStartKey: position,
      }),
    );
    count += page.Count ?? 0;
    position = page.LastEvaluatedKey;
  } while (position !== undefined);
  client.destroy();
  return count;
};

const dataDir = join(ROOT, '.data', 'bench', `soak-${process.pid}`);
mkdirSync(dataDir, { recursive: true });
// File-backed, as `npm start` runs it: in memory, DynamoDB Local holds every item and 24 h of
// stream records in its heap, so its RSS would grow with the data written, not with a leak.
const twin = await startTwinProcess({
  dataDir,
  inMemory: false,
  logFile: join(dataDir, 'twin.log'),
  // Throughput is the measure: the route throttles (50 logins/s in AWS) would cap it.
  env: { SHIFTLINE_ROUTE_THROTTLES: 'off' },
});
try {
  const context = await benchContext(twin.info.urls.api, dataDir);
  const { recruiter, staff } = context.sessions;
  const url = `${twin.info.urls.api}/conversations/${await openDemoConversation(context, 'Soak')}/messages`;
  const receivers = await openReceivers(twin.info.urls.ws, staff.idToken);
  const capacity = await sendCapacity(url, recruiter.idToken);
  // The probe's messages reach the ledger first; the soak counts only its own.
  await new Promise((done) => setTimeout(done, 5_000));
  const before = await ledgerMessageEntries(twin.info.urls.dynamodb);
  const rate = Math.max(1, Math.round(capacity * 0.8));
  console.error(`send capacity ${capacity.toFixed(0)}/s: soaking at ${rate}/s for ${MINUTES} min`);
  const pids = {
    twin: twin.child.pid,
    dynamodb: listenerPids(Number(new URL(twin.info.urls.dynamodb).port))[0],
  };
  const { acked, samples } = await soak(url, recruiter.idToken, rate, MINUTES * 60_000, pids);
  // Frames and ledger entries owed for what was acknowledged; give the stream a moment to drain.
  await new Promise((done) => setTimeout(done, 5_000));
  const framesOwed = acked.length * CONNECTIONS;
  const framesReceived = acked.reduce((sum, id) => sum + (receivers.received.get(id) ?? 0), 0);
  const ledgerEntries = (await ledgerMessageEntries(twin.info.urls.dynamodb)) - before;
  receivers.close();
  const section = [
    SOAK_START,
    '## Soak: load held',
    '',
    `\`npm run soak -- --minutes ${MINUTES}\` on ${new Date().toISOString().slice(0, 10)}: sends at 80 % of the measured`,
    `capacity (${capacity.toFixed(0)}/s → ${rate}/s) with ${CONNECTIONS} live connections receiving every message.`,
    '',
    '| at | sends | p50 | p99 | twin RSS | DynamoDB Local RSS |',
    '|---|---:|---:|---:|---:|---:|',
    ...samples.map(sampleRow),
    '',
    `Acknowledged sends: ${acked.length} (the capacity probe's not counted). Frames owed`,
    `${framesOwed}, received ${framesReceived}; ledger entries for those messages ${ledgerEntries} (owed`,
    `${acked.length}): ${framesReceived === framesOwed && ledgerEntries >= acked.length ? 'nothing lost: met' : 'LOST: missed'}.`,
    '',
    ...verdicts(samples),
    SOAK_END,
  ];
  console.log(section.join('\n'));
  const resultsFile = resolve(import.meta.dirname, 'RESULTS.md');
  const results = withoutSoakSection(readFileSync(resultsFile, 'utf8'));
  writeFileSync(resultsFile, `${results.trimEnd()}\n\n${section.join('\n')}\n`);
  if (framesReceived !== framesOwed || ledgerEntries < acked.length) process.exitCode = 1;
} finally {
  await twin.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
