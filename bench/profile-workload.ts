/**
 * `node bench/profile-workload.ts <workload name> [connections] [seconds]`: one HTTP workload of
 * bench/workloads.ts against a twin started as the bench starts it, with the twin's CPU profiled
 * (V8's sampling profiler, as `--cpu-prof` records it) over the measured window only — not the
 * start, the seed or the warm-up. Prints req/s, the CPU per request of the twin's processes and
 * the top self-time areas, modules and functions, and writes the .cpuprofile (open it in Chrome
 * DevTools) under .data/profiles/. bench/run.ts calls `profileWorkload` for "Where the time goes".
 * The name may be any unique part of a workload's name ("20 contracts", "GET /me").
 * PROFILE_ALLOCATIONS=1 also samples allocations (a .heapprofile beside it, for DevTools);
 * PROFILE_NODE_ARGS="--flag …" passes flags to the twin's Node. A written profile is summarised
 * again, nothing run, with `node bench/profile-workload.ts <file>.cpuprofile`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startTwinProcess } from '../test/support/twin-process.ts';
import { autocannonOptions, benchContext } from './http.ts';
import { runLoad } from './load.ts';
import { cpuTicksOfTree, cpuUsed, formatCpu, type ProcessCpu, TWIN_NODE } from './process-cpu.ts';
import { type CpuProfile, type ProfileSummary, printSummary, selfTimes } from './profile-summary.ts';
import { warmUp } from './warm-up.ts';
import { type BenchWorkload, WORKLOADS } from './workloads.ts';

export interface WorkloadProfile {
  workload: string;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
  /** CPU of the twin's processes over the profiled window. */
  cpu: ProcessCpu[];
  /** The twin's Node process's CPU milliseconds per request. */
  twinCpuMsPerRequest: number;
  summary: ProfileSummary;
  file: string;
}

/** The one workload whose name contains `query`. */
export const workloadNamed = (query: string): BenchWorkload => {
  const matching = WORKLOADS.filter((workload) => workload.name.includes(query));
  const [workload] = matching;
  if (!query || matching.length !== 1 || workload === undefined) {
    const names = WORKLOADS.map((candidate) => candidate.name).join('\n  ');
    throw new Error(`name one workload (matched ${matching.length}):\n  ${names}`);
  }
  return workload;
};

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

const startProfiling = async (inspector: Awaited<ReturnType<typeof inspectorOf>>, allocations: boolean) => {
  await inspector.send('Profiler.enable');
  await inspector.send('Profiler.setSamplingInterval', { interval: 250 });
  await inspector.send('Profiler.start');
  // Allocations too (PROFILE_ALLOCATIONS=1), collected ones included: what the GC's share is spent on.
  const sampling = {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  };
  if (allocations) await inspector.send('HeapProfiler.startSampling', sampling);
};

/**
 * One workload at `connections` for `seconds` on a warm twin (bench/warm-up.ts, then 2 s at
 * `connections`), the twin profiled meanwhile.
 */
export const profileWorkload = async (
  query: string,
  connections = 10,
  seconds = 10,
  allocations = process.env.PROFILE_ALLOCATIONS === '1',
): Promise<WorkloadProfile> => {
  const workload = workloadNamed(query);
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
    await warmUp([options]);
    await runLoad({ ...options, duration: 2 });
    const inspector = await inspectorOf(inspectorUrl);
    await startProfiling(inspector, allocations);
    const pid = twin.child.pid ?? 0;
    const cpuBefore = cpuTicksOfTree(pid);
    const startedAt = performance.now();
    const result = await runLoad({ ...options, duration: seconds });
    const cpu = cpuUsed(cpuBefore, cpuTicksOfTree(pid), performance.now() - startedAt, result.requests.total);
    const { profile } = (await inspector.send('Profiler.stop')) as { profile: CpuProfile };
    const profiles = join(ROOT, '.data', 'profiles');
    mkdirSync(profiles, { recursive: true });
    const file = join(profiles, `${workload.name.replace(/\W+/g, '-')}-${connections}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    if (allocations) {
      const { profile: heap } = (await inspector.send('HeapProfiler.stopSampling')) as { profile: unknown };
      writeFileSync(file.replace(/cpuprofile$/, 'heapprofile'), JSON.stringify(heap));
    }
    inspector.close();
    return {
      workload: workload.name,
      connections,
      seconds,
      requestsPerSecond: result.requests.average,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      cpu,
      twinCpuMsPerRequest: cpu.find((process) => process.role === TWIN_NODE)?.msPerRequest ?? 0,
      summary: selfTimes(profile, ROOT),
      file,
    };
  } finally {
    await twin.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

if (import.meta.main) {
  const [query = '', connectionsArg = '10', secondsArg = '10'] = process.argv.slice(2);
  if (query.endsWith('.cpuprofile')) {
    // A profile written before: summarised again, nothing run.
    console.log(`profile: ${query}`);
    printSummary(selfTimes(JSON.parse(readFileSync(query, 'utf8')) as CpuProfile, ROOT));
  } else {
    try {
      workloadNamed(query);
    } catch (error) {
      console.error((error as Error).message);
      process.exit(2);
    }
    const figure = await profileWorkload(query, Number(connectionsArg), Number(secondsArg));
    console.log(
      `${figure.workload} @${figure.connections}: ${figure.requestsPerSecond} req/s, p99 ${figure.p99Ms} ms, non-2xx ${figure.non2xx}`,
    );
    console.log(`CPU during the load:\n${formatCpu(figure.cpu)}`);
    console.log(`profile: ${figure.file}`);
    printSummary(figure.summary);
  }
}
