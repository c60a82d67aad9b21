/**
 * Webhook delivery lag on the twin: a contract offered over HTTP → its `contract.offered`
 * delivery at a local receiver, timed from sending the POST: gateway, write, the Main stream,
 * the notify consumer's fan-out, the queue and the signed POST. Offers go one at a time (the
 * next once the previous arrived): this is latency, not queueing.
 *
 * Run alone: `node bench/webhooks.ts` (npm run bench runs it too).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT, startTwinProcess } from '../test/support/twin-process.ts';
import { benchContext } from './http.ts';
import { benchCount } from './scale.ts';

export interface WebhookLagFigure {
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const DELIVERIES = benchCount(100);
const WARM_UP = 5;
/** A delivery that has not arrived by then is lost: the bench fails rather than waiting forever. */
const ARRIVAL_TIMEOUT_MS = 30_000;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** A receiver that resolves the waiter of each contract id it is told about. */
const startReceiver = async () => {
  const waiting = new Map<string, () => void>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(204).end();
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { contractId?: string } };
      waiting.get(payload.data.contractId ?? '')?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/bench`,
    arrival: (contractId: string) => new Promise<void>((resolve) => waiting.set(contractId, resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export const measureWebhookLag = async (): Promise<WebhookLagFigure> => {
  const dataDir = join(ROOT, '.data', 'bench', `webhooks-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const twin = await startTwinProcess({ dataDir, inMemory: true, logFile: join(dataDir, 'twin.log') });
  const receiver = await startReceiver();
  try {
    const { call, sessions } = await benchContext(twin.info.urls.api, dataDir);
    const { admin, recruiter, staff } = sessions;
    const me = await call('GET', '/me', staff.idToken);
    const staffId = (me.body as { staffProfileId: string }).staffProfileId;
    await call('POST', '/webhooks/endpoints', admin.idToken, {
      url: receiver.url,
      eventTypes: ['contract.offered'],
    });
    const lags: number[] = [];
    for (let index = 0; index < DELIVERIES + WARM_UP; index += 1) {
      const draft = await call('POST', '/contracts', recruiter.idToken, {
        staffId,
        title: `Webhook lag ${index}`,
        terms: 'Bench terms.',
        startDate: '2027-01-04',
        endDate: '2027-04-04',
      });
      const contractId = (draft.body as { id: string }).id;
      const arrived = receiver.arrival(contractId);
      const startedAt = performance.now();
      const offered = await call('POST', `/contracts/${contractId}/offer`, recruiter.idToken);
      if (offered.status !== 200) throw new Error(`offer failed: ${offered.status}`);
      await Promise.race([
        arrived,
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`no delivery for ${contractId} in ${ARRIVAL_TIMEOUT_MS} ms`)),
            ARRIVAL_TIMEOUT_MS,
          ).unref(),
        ),
      ]);
      if (index >= WARM_UP) lags.push(performance.now() - startedAt);
    }
    const sorted = lags.sort((a, b) => a - b);
    const round = (value: number) => Math.round(value * 10) / 10;
    return {
      deliveries: sorted.length,
      p50Ms: round(percentile(sorted, 50)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted.at(-1) ?? 0),
    };
  } finally {
    await receiver.stop();
    await twin.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

/** The RESULTS.md section. */
export const webhookSection = (figure: WebhookLagFigure): string[] => [
  '## Webhook delivery lag on the twin',
  '',
  'A contract offered over HTTP → its signed `contract.offered` delivery at a local receiver, timed',
  'from sending the POST: gateway, write, the Main stream, the notify consumer, the queue and the',
  `delivery function's POST. ${DELIVERIES} offers one at a time after ${WARM_UP} warm-up ones.`,
  '',
  '| deliveries | p50 | p99 | max |',
  '|---:|---:|---:|---:|',
  `| ${figure.deliveries} | ${figure.p50Ms} ms | ${figure.p99Ms} ms | ${figure.maxMs} ms |`,
  '',
];

if (import.meta.main) {
  const figure = await measureWebhookLag();
  console.log(webhookSection(figure).join('\n'));
}
