/**
 * What the revocation check costs per request (issue 12): the same authenticated reads on a twin
 * whose containers trust a session record for the default `SESSION_CACHE_SECONDS` (30 s: about
 * one GetItem per user per 30 s) and on one with `SESSION_CACHE_SECONDS=0` — a strongly
 * consistent GetItem on every request, the worst case. `node bench/revocation.ts` prints the
 * section; `npm run bench` writes it into bench/RESULTS.md.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startTwinProcess } from '../test/support/twin-process.ts';
import { autocannonOptions, benchContext } from './http.ts';
import { runLoad } from './load.ts';
import { benchSeconds } from './scale.ts';
import type { BenchContext, BenchRequest } from './workloads.ts';

export interface RevocationFigure {
  cache: string;
  workload: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

/** A read that carries no cost of its own beyond the check (/me), and a list route. */
const READS: ReadonlyArray<{ name: string; request: (context: BenchContext) => BenchRequest }> = [
  {
    name: 'GET /me (staff)',
    request: ({ sessions }) => ({ method: 'GET', path: '/me', token: sessions.staff.idToken }),
  },
  {
    name: 'GET /contracts (staff, a page)',
    request: ({ sessions }) => ({
      method: 'GET',
      path: '/contracts?limit=20',
      token: sessions.staff.idToken,
    }),
  },
];

const CACHES: ReadonlyArray<{ label: string; env: Record<string, string> }> = [
  { label: 'default (30 s)', env: {} },
  { label: '0 (a read per request)', env: { SESSION_CACHE_SECONDS: '0' } },
];

const measureWith = async (cache: (typeof CACHES)[number]): Promise<RevocationFigure[]> => {
  const dataDir = join(ROOT, '.data', 'bench', `revocation-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const twin = await startTwinProcess({
    dataDir,
    inMemory: true,
    logFile: join(dataDir, 'twin.log'),
    env: { SHIFTLINE_ROUTE_THROTTLES: 'off', ...cache.env },
  });
  try {
    const context = await benchContext(twin.info.urls.api, dataDir);
    const figures: RevocationFigure[] = [];
    for (const read of READS) {
      const options = autocannonOptions(context.api, read.request(context));
      for (const connections of [10, 50]) {
        await runLoad({ ...options, connections, duration: benchSeconds(2) });
        const result = await runLoad({ ...options, connections, duration: benchSeconds(10) });
        figures.push({
          cache: cache.label,
          workload: read.name,
          connections,
          requestsPerSecond: result.requests.average,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          non2xx: result.non2xx,
        });
      }
    }
    return figures;
  } finally {
    await twin.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

export const measureRevocationCost = async (): Promise<RevocationFigure[]> => {
  const figures: RevocationFigure[] = [];
  // One twin at a time, back to back: the machine's two cores are shared with autocannon.
  for (const cache of CACHES) figures.push(...(await measureWith(cache)));
  return figures;
};

export const revocationSection = (figures: readonly RevocationFigure[]): string[] => [
  '## The revocation check per request',
  '',
  'The same reads with `SESSION_CACHE_SECONDS` at its default (a container trusts a user’s session',
  'record for 30 s) and at 0 (a strongly consistent GetItem on every request: the worst case).',
  'The difference is what the check costs; 2 s warm-up then 10 s each, one twin after the other.',
  '',
  '| SESSION_CACHE_SECONDS | workload | connections | req/s | p50 | p99 | non-2xx |',
  '|---|---|---:|---:|---:|---:|---:|',
  ...figures.map(
    (figure) =>
      `| ${figure.cache} | ${figure.workload} | ${figure.connections} | ${figure.requestsPerSecond.toFixed(0)} | ${figure.p50Ms} ms | ${figure.p99Ms} ms | ${figure.non2xx} |`,
  ),
  '',
];

if (import.meta.main) console.log(revocationSection(await measureRevocationCost()).join('\n'));
