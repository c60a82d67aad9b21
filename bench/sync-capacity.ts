/**
 * Just the sync workload (bench/workloads/sync.ts) on an in-process twin: DynamoDB calls and
 * read units per page (bench/capacity.ts's count) and each measured page's latency, one request
 * at a time. Indicative: run it on an idle machine for figures worth recording.
 *   ./node_modules/.bin/node bench/sync-capacity.ts
 */
import { measureCapacity } from './capacity.ts';
import { withInProcessTwin } from './in-process-twin.ts';
import { SYNC_WORKLOADS } from './workloads/sync.ts';

const latencies: number[] = [];
const plainFetch = globalThis.fetch;
// The measured requests are the workload's pages (`limit=100&since=`); the snapshot it takes
// while preparing asks for pages of 200.
globalThis.fetch = async (input, init) => {
  const started = performance.now();
  const response = await plainFetch(input, init);
  if (String(input).includes('/sync?limit=100&since=')) {
    await response.clone().arrayBuffer();
    latencies.push(performance.now() - started);
  }
  return response;
};

const figures = await withInProcessTwin('sync-capacity', (twin, dataDir) =>
  measureCapacity(twin, dataDir, SYNC_WORKLOADS),
);
const sorted = [...latencies].sort((a, b) => a - b);
const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
for (const figure of figures) {
  console.log(
    `${figure.workload}\n  per page: ${figure.calls.toFixed(1)} DynamoDB calls, ${figure.readUnits.toFixed(1)} RCU, ${figure.writeUnits.toFixed(1)} WCU (${figure.requests} pages)`,
  );
}
console.log(`  page latency, one at a time: p50 ${at(0.5).toFixed(0)} ms, max ${at(1).toFixed(0)} ms`);
process.exit(0);
