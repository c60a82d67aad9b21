/**
 * `node bench/profile-workload.ts <workload name> [connections] [seconds]`: one HTTP workload of
 * bench/workloads.ts against a twin started as the bench starts it, with the twin's CPU profiled
 * (V8's sampling profiler, as `--cpu-prof` records it) over the measured window only — not the
 * start, the seed or the warm-up. Prints req/s and the top self-time functions and modules, and
 * writes the .cpuprofile (open it in Chrome DevTools) under .data/profiles/.
 * The name may be any unique part of a workload's name ("20 contracts", "GET /me").
 * PROFILE_ALLOCATIONS=1 also samples allocations (a .heapprofile beside it, for DevTools);
 * PROFILE_NODE_ARGS="--flag …" passes flags to the twin's Node. A written profile is summarised
 * again, nothing run, with `node bench/profile-workload.ts <file>.cpuprofile`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ROOT, startTwinProcess } from '../test/support/twin-process.ts';
import { autocannonOptions, benchContext } from './http.ts';
import { type CpuProfile, selfTimes } from './profile-summary.ts';
import { WORKLOADS } from './workloads.ts';

const [query = '', connectionsArg = '10', secondsArg = '10'] = process.argv.slice(2);

const printSummary = (profile: CpuProfile, file: string) => {
  const summary = selfTimes(profile, ROOT);
  const line = (name: string, ms: number) =>
    `${((ms / summary.totalMs) * 100).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${name}`;
  const busy = ((summary.busyMs / summary.totalMs) * 100).toFixed(0);
  console.log(`profile: ${file} (${summary.totalMs.toFixed(0)} ms sampled, ${busy} % busy)`);
  console.log('\ntop functions by self time:');
  for (const [name, ms] of summary.functions.slice(0, 30)) console.log(line(name, ms));
  console.log('\ntop modules by self time:');
  for (const [name, ms] of summary.modules.slice(0, 20)) console.log(line(name, ms));
  console.log("\nthe project's functions, time under each (callees included):");
  for (const [name, ms] of summary.inclusive.slice(0, 30)) console.log(line(name, ms));
};

// A profile written before: summarised again, nothing run.
if (query.endsWith('.cpuprofile')) {
  printSummary(JSON.parse(readFileSync(query, 'utf8')) as CpuProfile, query);
  process.exit(0);
}

const matching = WORKLOADS.filter((workload) => workload.name.includes(query));
const workload = matching[0];
if (!query || matching.length !== 1 || workload === undefined) {
  const names = WORKLOADS.map((candidate) => candidate.name).join('\n  ');
  console.error(`name one workload (matched ${matching.length}):\n  ${names}`);
  process.exit(2);
}
const connections = Number(connectionsArg);
const ALLOCATIONS = process.env.PROFILE_ALLOCATIONS === '1';
const seconds = Number(secondsArg);

/** CPU time (user + system) a process has used, from /proc: robust where req/s is not on a shared machine. */
const cpuMsOf = (pid: number | undefined): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime, fields 14 and 15 of stat (11 and 12 after the command name), in 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const run = (options: autocannon.Options) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });

/** A minimal Chrome DevTools Protocol client over the twin's inspector socket. */
const inspectorOf = async (url: string) => {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (message) => {
    const reply = JSON.parse(String(message.data)) as { id?: number; result?: unknown };
    if (reply.id !== undefined) pending.get(reply.id)?.(reply.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
};

const dataDir = join(ROOT, '.data', 'bench', `profile-${process.pid}`);
const logFile = join(dataDir, 'twin.log');
mkdirSync(dataDir, { recursive: true });
const twin = await startTwinProcess({
  dataDir,
  inMemory: true,
  logFile,
  // More flags for the twin's Node (e.g. a V8 heap setting to try): PROFILE_NODE_ARGS="--flag …".
  nodeArgs: ['--inspect=127.0.0.1:0', ...(process.env.PROFILE_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
  env: { SHIFTLINE_ROUTE_THROTTLES: 'off' },
});
try {
  const inspectorUrl = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(readFileSync(logFile, 'utf8'))?.[0];
  if (!inspectorUrl) throw new Error('the twin printed no inspector address');
  const context = await benchContext(twin.info.urls.api, dataDir);
  const options = { ...autocannonOptions(context.api, await workload.prepare(context)), connections };
  await run({ ...options, duration: 2 });
  const inspector = await inspectorOf(inspectorUrl);
  await inspector.send('Profiler.enable');
  await inspector.send('Profiler.setSamplingInterval', { interval: 250 });
  await inspector.send('Profiler.start');
  // Allocations too (PROFILE_ALLOCATIONS=1), collected ones included: what the GC's share is spent on.
  const sampling = {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  };
  if (ALLOCATIONS) await inspector.send('HeapProfiler.startSampling', sampling);
  const cpuBefore = cpuMsOf(twin.child.pid);
  const result = await run({ ...options, duration: seconds });
  const cpuMs = cpuMsOf(twin.child.pid) - cpuBefore;
  const { profile } = (await inspector.send('Profiler.stop')) as { profile: CpuProfile };
  const profiles = join(ROOT, '.data', 'profiles');
  mkdirSync(profiles, { recursive: true });
  const file = join(profiles, `${workload.name.replace(/\W+/g, '-')}-${connections}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  if (ALLOCATIONS) {
    const { profile: heap } = (await inspector.send('HeapProfiler.stopSampling')) as { profile: unknown };
    writeFileSync(file.replace(/cpuprofile$/, 'heapprofile'), JSON.stringify(heap));
  }
  inspector.close();
  const { average, total } = result.requests;
  console.log(
    `${workload.name} @${connections}: ${average} req/s, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`,
  );
  console.log(`the twin's process used ${((cpuMs * 1000) / total).toFixed(0)} µs of CPU per request`);
  printSummary(profile, file);
} finally {
  await twin.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
