/**
 * The peer in the same run: `npm run bench -- --peer <folder>` (or SHIFTLINE_PEER=<folder>) runs
 * the Parse Server peer's `run.sh` (../shared/peers/parse: PostgreSQL + parse-server, its own
 * bench.mjs) right after the twin's workloads, reads the table it prints, and sets each workload
 * beside its Shiftline counterpart with the throughput and p99 ratios. Without a folder the bench
 * runs without the peer. The peer folder is not part of this repository.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { HttpFigure } from './http.ts';
import type { LatencyFigure } from './realtime.ts';

export interface PeerRow {
  workload: string;
  connections: string;
  requestsPerSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
}

/** The peer folder named on the command line (`--peer <folder>`) or in SHIFTLINE_PEER. */
export const peerFolder = (argv: readonly string[] = process.argv): string | undefined => {
  const flag = argv.indexOf('--peer');
  const named = flag === -1 ? process.env.SHIFTLINE_PEER : argv[flag + 1];
  return named === undefined || named === '' ? undefined : resolve(named);
};

const numberOf = (cell: string | undefined) => {
  const value = Number.parseFloat(cell ?? '');
  return Number.isFinite(value) ? value : undefined;
};

/** The rows of bench.mjs's markdown table (`| workload | connections | req/s | p50 | p99 | errors |`). */
export const parsePeerTable = (text: string): PeerRow[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| workload') && !line.startsWith('|---'))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map(([, workload = '', connections = '', rate, p50, p99]) =>
      workload.startsWith('realtime')
        ? {
            workload: 'realtime',
            connections: connections.replace(/\D/g, ''),
            p50Ms: numberOf(p50),
            p99Ms: numberOf(p99),
          }
        : {
            workload,
            connections,
            requestsPerSecond: numberOf(rate),
            p50Ms: numberOf(p50),
            p99Ms: numberOf(p99),
          },
    );

/** Runs the peer's run.sh (it installs what it lacks, as root) and reads its table. */
export const measurePeer = (folder: string, seconds = 10): PeerRow[] => {
  const script = join(folder, 'run.sh');
  if (!existsSync(script)) throw new Error(`no run.sh in the peer folder ${folder}`);
  const run = spawnSync('bash', [script, String(seconds)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`the peer's run.sh failed (exit ${run.status})`);
  return parsePeerTable(run.stdout);
};

/** The twin's workloads that answer the peer's read, write and login. */
const COUNTERPARTS: Record<string, string> = {
  read: 'staff lists own 20 contracts',
  write: 'POST /conversations/{id}/messages',
  login: 'POST /auth/login',
};

const ratio = (ours: number | undefined, theirs: number | undefined) =>
  ours === undefined || theirs === undefined || theirs === 0 ? '—' : `${(ours / theirs).toFixed(2)}×`;

/** RESULTS.md's side-by-side table: throughput ratio (higher is better) and p99 ratio (lower is better). */
export const peerSection = (
  peer: readonly PeerRow[],
  http: readonly HttpFigure[],
  latency: readonly LatencyFigure[],
) => {
  const rows = peer.map((row) => {
    if (row.workload === 'realtime') {
      const ours = latency.find(
        (figure) => String(figure.clients) === row.connections && (figure.users ?? 1) === 1,
      );
      return `| write → live event, ${row.connections} subscriber(s) | p50 ${row.p50Ms} / p99 ${row.p99Ms} ms | ${ours ? `p50 ${ours.p50Ms} / p99 ${ours.p99Ms} ms` : 'not measured'} | — | ${ratio(ours?.p99Ms, row.p99Ms)} |`;
    }
    const name = COUNTERPARTS[row.workload] ?? row.workload;
    const ours = http.find(
      (figure) => figure.workload.startsWith(name) && String(figure.connections) === row.connections,
    );
    return `| ${name} @${row.connections} | ${row.requestsPerSecond} req/s, p99 ${row.p99Ms} ms | ${ours ? `${ours.requestsPerSecond.toFixed(0)} req/s, p99 ${ours.p99Ms} ms` : 'not measured'} | ${ratio(ours?.requestsPerSecond, row.requestsPerSecond)} | ${ratio(ours?.p99Ms, row.p99Ms)} |`;
  });
  return [
    '## Beside the peer, measured in this run',
    '',
    "Parse Server 9.10 on PostgreSQL (the peer folder's run.sh), right after the twin's workloads on",
    'the same machine. Throughput ratio: Shiftline ÷ Parse (≥ 1 is better); p99 ratio: Shiftline ÷',
    'Parse (≤ 1 is better).',
    '',
    '| workload | Parse | Shiftline twin | throughput ratio | p99 ratio |',
    '|---|---|---|---:|---:|',
    ...rows,
    '',
  ];
};
