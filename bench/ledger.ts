/**
 * Ledger lag: how long after a write its audit entry is readable, under a burst of 1,000 writes
 * on the twin (in this process, as `npm start` runs it: DynamoDB Local's stream, the stream
 * poller, the real audit consumer). The writes are access events through the real repository,
 * 50 at a time; a reader polls the byActor index and stamps each entry when it first sees it.
 * Run alone: `node bench/ledger.ts`.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { accessEventRepository } from '#data/access-events.ts';
import { documentClient } from '#data/client.ts';
import { ledgerKeys } from '#data/ledger-keys.ts';
import { userEvent } from '#domain/identity/user-events.ts';
import { TABLE_NAMES } from '../local/twin.ts';
import { withInProcessTwin } from './in-process-twin.ts';
import { benchCount } from './scale.ts';

export interface LedgerLagFigure {
  scenario: string;
  writes: number;
  /** Entries the reader saw within two minutes: anything short of `writes` is a lost entry. */
  seen: number;
  chains: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** From the write's response (DynamoDB acknowledged it) until the entry is seen. */
  afterWriteP50Ms: number;
  afterWriteP99Ms: number;
  writesPerSecond: number;
  /** From the first write to the last entry seen. */
  totalMs: number;
}

const WRITES = benchCount(1_000);
const CONCURRENCY = 50;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const burst = async (scenario: string, chains: number): Promise<LedgerLagFigure> => {
  const first = performance.now();
  const actorId = `bench-${scenario.replace(/\W+/g, '-')}-${Date.now()}`;
  const startedAt = new Map<string, number>();
  /** Each write's `at`, in the order the writes began. */
  const writtenAt = new Map<string, string>();
  const lags = new Map<string, number>();
  const doneAt = new Map<string, number>();
  const sinceDone: number[] = [];
  let writing = true;
  let newestAt = '0';
  const deadline = () => performance.now() - first > 120_000;
  // The reader: the bench actor's entries of the last seconds (chains are appended side by side,
  // so an entry may become visible after a later-stamped one), each stamped when first seen.
  const reader = (async () => {
    while ((writing || lags.size < WRITES) && !deadline()) {
      // Every entry not yet seen is stamped no earlier than the oldest write still unseen.
      const since = [...writtenAt].find(([requestId]) => !lags.has(requestId))?.[1] ?? newestAt;
      const { Items = [] } = await documentClient.send(
        new QueryCommand({
          TableName: TABLE_NAMES.ledger,
          IndexName: 'byActor',
          KeyConditionExpression: 'actorKey = :a AND atKey >= :since',
          ExpressionAttributeValues: { ':a': ledgerKeys.actor(actorId), ':since': since },
          ProjectionExpression: 'requestId, #at',
          ExpressionAttributeNames: { '#at': 'at' },
        }),
      );
      const seenAt = performance.now();
      let fresh = 0;
      for (const item of Items) {
        const requestId = String(item.requestId);
        const started = startedAt.get(requestId);
        if (started === undefined || lags.has(requestId)) continue;
        lags.set(requestId, seenAt - started);
        sinceDone.push(seenAt - (doneAt.get(requestId) ?? seenAt));
        fresh += 1;
        if (String(item.at) > newestAt) newestAt = String(item.at);
      }
      if (fresh === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < WRITES) {
        const index = next++;
        const requestId = `${actorId}-${index}`;
        const context = { actor: { userId: actorId, roles: [] }, now: new Date(), requestId };
        writtenAt.set(requestId, context.now.toISOString());
        startedAt.set(requestId, performance.now());
        await accessEventRepository.record(
          userEvent(context, `user-${index % chains}`, 'login', 'bench login'),
        );
        doneAt.set(requestId, performance.now());
      }
    }),
  );
  writing = false;
  await reader;
  const sorted = [...lags.values()].sort((a, b) => a - b);
  const afterWrite = [...sinceDone].sort((a, b) => a - b);
  return {
    scenario,
    writes: WRITES,
    seen: lags.size,
    chains,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? 0,
    afterWriteP50Ms: percentile(afterWrite, 0.5),
    afterWriteP99Ms: percentile(afterWrite, 0.99),
    writesPerSecond: (WRITES * 1000) / (Math.max(...doneAt.values()) - first),
    totalMs: performance.now() - first,
  };
};

/** Runs inside an in-process twin (bench/in-process-twin.ts): it writes through the real repository. */
export const measureLedgerLag = async (): Promise<LedgerLagFigure[]> => {
  return [await burst('1,000 chains, one write each', WRITES), await burst('10 chains, 100 writes each', 10)];
};

const ms = (value: number) => `${value.toFixed(0)} ms`;

export const ledgerSection = (figures: readonly LedgerLagFigure[]): string[] => [
  '## Audit ledger lag on the twin',
  '',
  `A burst of ${WRITES.toLocaleString('en-US')} access events (${CONCURRENCY} in flight) through the real repository; each`,
  "entry's lag is from the start of its write until a reader polling the ledger's byActor index",
  "first sees it. Path: DynamoDB Local stream → the twin's poller (50 ms idle poll, batches of",
  'up to 100) → the audit consumer (one Query + one conditional Put per entry, chains in parallel).',
  '',
  '| scenario | writes/s | entries seen | p50 | p99 | max | p50 / p99 after the write returned | burst → last entry |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...figures.map(
    (figure) =>
      `| ${figure.scenario} | ${figure.writesPerSecond.toFixed(0)} | ${figure.seen} / ${figure.writes} | ${ms(figure.p50Ms)} | ${ms(figure.p99Ms)} | ${ms(figure.maxMs)} | ${ms(figure.afterWriteP50Ms)} / ${ms(figure.afterWriteP99Ms)} | ${ms(figure.totalMs)} |`,
  ),
  '',
];

if (import.meta.main) {
  const figures = await withInProcessTwin('ledger', () => measureLedgerLag());
  console.log(ledgerSection(figures).join('\n'));
  documentClient.destroy();
}
