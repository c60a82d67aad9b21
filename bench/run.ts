/**
 * `npm run bench`: runs every benchmark and rewrites bench/RESULTS.md with the figures.
 * Figures come from this machine; FACTS.md has the raw DynamoDB Local ceilings and the peer.
 * With `--peer <folder>` the Parse peer runs in the same run; "Targets" sets issue 18's targets
 * against the run's own figures, "Where the time goes" profiles the twin under list and send.
 * About 27 minutes with the peer (the three profiles add about three minutes).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { bundleTables, measureBundles } from './bundles.ts';
import { measureCapacity } from './capacity.ts';
import { measureHttp } from './http.ts';
import { withInProcessTwin } from './in-process-twin.ts';
import { ledgerSection, measureLedgerLag } from './ledger.ts';
import { measurePeer, peerFolder, peerSection } from './peer.ts';
import { measureRawDynamoDb } from './raw-dynamodb.ts';
import { measureRealtime, realtimeSection } from './realtime.ts';
import { measureRevocationCost, revocationSection } from './revocation.ts';
import { roundTripsSection } from './round-trips.ts';
import { benchSeconds, SMOKE } from './scale.ts';
import { soakSectionOf } from './soak-section.ts';
import { targetsSection } from './targets.ts';
import { MIN_SECONDS_EACH, WARM_UP_SECONDS } from './warm-up.ts';
import { measureWebhookLag, webhookSection } from './webhooks.ts';
import { measureWhereTimeGoes, whereTimeGoesSection } from './where-time-goes.ts';

// Named before anything runs, so a wrong peer folder fails now, not after the twin's workloads.
const peerDir = peerFolder();
if (peerDir !== undefined && !existsSync(join(peerDir, 'run.sh')))
  throw new Error(`no run.sh in the peer folder ${peerDir}`);

const raw = await measureRawDynamoDb();
const bundles = await measureBundles();
const http = await measureHttp();
const realtime = await measureRealtime();
const webhooks = await measureWebhookLag();
const revocation = await measureRevocationCost();
// The twin profiled under the list and the send workloads (about a minute with the twins' starts).
const whereTimeGoes = await measureWhereTimeGoes();
// The peer right after the twin's workloads, on the same machine (none named: no peer section).
const peer = peerDir === undefined ? undefined : measurePeer(peerDir, benchSeconds(10));
// One in-process twin for both: handlers' SDK clients are module singletons bound to its endpoints.
const { capacity, ledger } = await withInProcessTwin('in-process', async (twin, dataDir) => ({
  capacity: await measureCapacity(twin, dataDir),
  ledger: await measureLedgerLag(),
}));
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;

const lines = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} — ${machine}.`,
  'Every figure is measured on the real code path; nothing is cached or skipped for the bench.',
  '',
  ...targetsSection({ peer, http, raw, realtime, bundles }),
  '## Function bundles',
  '',
  'Each function bundled exactly as the stack bundles it (esbuild, minified ESM, `@aws-sdk/*`',
  "external because Lambda's `nodejs24.x` runtime ships the SDK). Cold import: a fresh Node process",
  'importing the bundle (module load and module-scope initialisation, as in a cold start), median',
  'and best of 5. Lambda adds its own sandbox start on top. A split bundle (`splitting` in',
  'shared/functions.ts) counts what its cold start loads; its other chunks load on first use.',
  '',
  ...bundleTables(bundles),
  '## HTTP workloads on the twin',
  '',
  'autocannon on the same machine as the twin (so both share the 2 cores), 2 s warm-up then 10 s,',
  `on a warm twin: before the first measured run, a pass over every workload (${WARM_UP_SECONDS} s or more in all,`,
  `at least ${MIN_SECONDS_EACH} s each; bench/warm-up.ts): a fresh DynamoDB Local's JVM spends its first ~30 s of load`,
  'compiling, which DynamoDB in AWS never does ([decision](../docs/decisions.md#the-bench-measures-a-warm-twin)).',
  'Each run starts once the twin is idle (its stream consumers done with the writes of the run',
  "before); a write workload's own consumer work, during its run, counts against it.",
  'Non-2xx answers would mean a broken workload, not a fast one: they are listed and must be 0.',
  '',
  '| workload | connections | req/s | p50 | p99 | errors | non-2xx |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...http.map(
    (figure) =>
      `| ${figure.workload} | ${figure.connections} | ${figure.requestsPerSecond.toFixed(0)} | ${figure.p50Ms} ms | ${figure.p99Ms} ms | ${figure.errors} | ${figure.non2xx} |`,
  ),
  '',
  '### Raw DynamoDB Local ceilings, measured in this run',
  '',
  `The SDK straight against a DynamoDB Local started with the twin's flags and warmed as the twin is (${WARM_UP_SECONDS} s),`,
  'then 2 s warm-up and 10 s per operation and concurrency.',
  "Divide a route's rate by the ceiling of what it rests on for the twin's overhead.",
  '',
  '| operation | concurrency | ops/s | p99 |',
  '|---|---:|---:|---:|',
  ...raw.map(
    (figure) =>
      `| ${figure.operation} | ${figure.concurrency} | ${figure.opsPerSecond.toFixed(0)} | ${figure.p99Ms.toFixed(1)} ms |`,
  ),
  '',
  '### DynamoDB consumed capacity per request',
  '',
  'Measured on DynamoDB Local with `ReturnConsumedCapacity: TOTAL` on every call the request made',
  '(the twin in-process, each request sent through the HTTP gateway, averaged over requests). The',
  "stream consumers' work a write causes later (its audit entry, notify counters) is not included.",
  '',
  '| workload | DynamoDB calls | read units | write units |',
  '|---|---:|---:|---:|',
  ...capacity.map(
    (figure) =>
      `| ${figure.workload} | ${figure.calls.toFixed(1)} | ${figure.readUnits.toFixed(1)} | ${figure.writeUnits.toFixed(1)} |`,
  ),
  '',
  ...roundTripsSection(capacity),
  '### Beside the peer and the raw ceilings (FACTS.md)',
  '',
  '| workload | Parse Server 9.10 (10 / 50 conn.) | raw DynamoDB Local ceiling it rests on |',
  '|---|---|---|',
  '| login | 29 req/s, p99 543 ms / 25 req/s, p99 3.2 s | GetItem 2,173 / 2,337 ops/s + DeleteItem (≈ Put 2,110 / 2,084) |',
  '| staff lists own 20 contracts | 1,038 / 1,174 req/s | Query 1,284 / 1,790 ops/s — lands with the contracts issue |',
  '| send a message | 628 / 668 req/s | GetItem + conditional Put 2,173 / 2,337 + 2,110 / 2,084 ops/s — the send workload above |',
  '',
  'Login on the twin is bounded by cognito-local (a file-backed store that rewrites its database',
  "on each login, since a login stores a refresh token), not by Shiftline; in AWS it is bounded by Cognito's",
  "own InitiateAuth quota. `/me` and `/health` show the twin's own overhead: gateway, token",
  'verification (cached JWKS) and the middy stack, with no database call.',
  '',
  ...(peer === undefined ? [] : peerSection(peer, http, realtime.latency)),
  ...whereTimeGoesSection(whereTimeGoes),
  ...realtimeSection(realtime),
  ...webhookSection(webhooks),
  ...revocationSection(revocation),
  ...ledgerSection(ledger),
];

// A smoke run's figures mean nothing: they never replace RESULTS.md.
const resultsFile = SMOKE
  ? resolve(import.meta.dirname, '..', '.data', 'bench', 'RESULTS.smoke.md')
  : resolve(import.meta.dirname, 'RESULTS.md');
mkdirSync(dirname(resultsFile), { recursive: true });
// The soak's section (npm run soak, with its own date) stays until the next soak replaces it.
const soak = SMOKE ? undefined : soakSectionOf(resultsFile);
writeFileSync(resultsFile, `${[...lines, ...(soak === undefined ? [] : [soak])].join('\n')}\n`);
console.log(lines.join('\n'));
