/**
 * Where a send's time goes in the twin. Starts the twin in its own process under `--cpu-prof`
 * (bench/profile-send-twin.ts), drives the send workload (bench/workloads/messaging.ts) with
 * autocannon for a few seconds, waits until the stream consumers have caught up, and prints:
 * req/s and latency; the DynamoDB calls per send, the request's own and the consumers'; the CPU
 * seconds each process of the twin used (Node, DynamoDB Local's JVM, cognito-local) and this
 * load generator; and the profile's top self-time entries by function and by area, over the load
 * and the consumers' catch-up. `--consumers off` starts the same build without reading the Main
 * stream: a measurement of what the consumers cost, never a product setting.
 *
 * bench/run.ts calls `profileSend` for "Where the time goes".
 *
 * Usage: node bench/profile-send.ts [--seconds 10] [--connections 10] [--consumers off] [--top 25] [--latency | --crowd]
 * (`--latency`: instead of the throughput load, write → live event latency to 1 and 100 tabs of
 * one user, one message at a time, as bench/realtime.ts measures it, with the same accounting;
 * `--crowd`: the same to 99 users of one conversation, signed up before the profiled window).
 * Figures on a machine shared with other work are indicative only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ROOT } from '../test/support/twin-process.ts';
import { autocannonOptions, benchContext } from './http.ts';
import { runLoad } from './load.ts';
import { cpuTicksOfTree, cpuUsed, formatCpu, type ProcessCpu } from './process-cpu.ts';
import { type CpuProfile, type ProfileSummary, printSummary, selfTimes } from './profile-summary.ts';
import { measureLatency, WARM_UP_MESSAGES } from './realtime.ts';
import { crowdConversation } from './realtime-crowd.ts';
import { warmUp } from './warm-up.ts';
import { MESSAGING_WORKLOADS, openDemoConversation } from './workloads/messaging.ts';

/** The twin's protocol lines, each handed to the first waiter for its prefix. */
const lineReader = (child: ChildProcess) => {
  const waiters: Array<{ prefix: string; resolve: (rest: string) => void }> = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const index = waiters.findIndex(
      (waiter) => line.startsWith(`${waiter.prefix} `) || line === waiter.prefix,
    );
    if (index < 0) return;
    const [waiter] = waiters.splice(index, 1);
    waiter?.resolve(line.slice(waiter.prefix.length).trim());
  });
  const next = (prefix: string) => new Promise<string>((resolve) => waiters.push({ prefix, resolve }));
  const ask = (command: string, prefix: string) => {
    const answer = next(prefix);
    child.stdin?.write(`${command}\n`);
    return answer;
  };
  return { next, ask };
};

type Context = Awaited<ReturnType<typeof benchContext>>;

/** Autocannon's shape for a latency load, for the accounting below. */
const asLoadResult = (total: number, p50 = 0, p99 = 0) => ({
  requests: { total, average: 0 },
  latency: { p50, p99 },
  non2xx: 0,
  errors: 0,
  timeouts: 0,
});

/** Latency to 100 connections of 99 users in one conversation, prepared beforehand. */
const crowdLoad = async (
  ws: string,
  context: Context,
  crowd: Awaited<ReturnType<typeof crowdConversation>>,
) => {
  const figure = await measureLatency(ws, context.api, crowd.tokens, crowd.conversationId);
  console.log(
    `write → live event, 99 users: p50 ${figure.p50Ms} ms, p99 ${figure.p99Ms} ms, max ${figure.maxMs} ms`,
  );
  return asLoadResult(figure.messages + WARM_UP_MESSAGES, figure.p50Ms, figure.p99Ms);
};

/** Latency to 1 and 100 tabs, printed; answered in autocannon's shape for the accounting below. */
const latencyLoad = async (ws: string, context: Context) => {
  const { recruiter, staff } = context.sessions;
  const conversationId = await openDemoConversation(context, 'Latency profile');
  let total = 0;
  for (const clients of [1, 100]) {
    const tokens = { sender: recruiter.idToken, receivers: Array(clients).fill(staff.idToken) };
    const figure = await measureLatency(ws, context.api, tokens, conversationId);
    total += figure.messages + WARM_UP_MESSAGES;
    console.log(
      `write → live event, ${clients} tab(s): p50 ${figure.p50Ms} ms, p99 ${figure.p99Ms} ms, max ${figure.maxMs} ms`,
    );
  }
  return asLoadResult(total);
};

export interface SendProfileOptions {
  seconds: number;
  connections: number;
  /** 'off': the same build without reading the Main stream (a measurement, never a product setting). */
  consumers: 'on' | 'off';
  /** Instead of throughput: write → live event latency to 1 and 100 tabs. */
  latency: boolean;
  /** Instead of throughput: write → live event latency to 99 users of one conversation. */
  crowd?: boolean;
}

export interface SendProfile extends SendProfileOptions {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  sends: number;
  /** From the load's end until the stream consumers were idle. */
  catchUpMs: number;
  /** DynamoDB calls per send, by `<request|consumers> <command> <table> <pk prefix>`, and the mean ms of one. */
  calls: Array<{ call: string; perSend: number; ms: number }>;
  /** CPU of the twin's processes during the load, and from its start until the consumers caught up. */
  cpuDuringLoad: ProcessCpu[];
  cpuUntilCaughtUp: ProcessCpu[];
  loadWallMs: number;
  generatorCpuSeconds: number;
  /** The twin's profile from the load's start until the consumers caught up. */
  summary: ProfileSummary;
}

const startProfiledTwin = (dataDir: string, profileDir: string, consumers: string) => {
  mkdirSync(profileDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${profileDir}`,
      join(ROOT, 'bench', 'profile-send-twin.ts'),
      dataDir,
      `consumers=${consumers}`,
    ],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      // The crowd's 98 sign-ups come from this machine's one address: past the per-source mail limit.
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', MAIL_PER_SOURCE_PER_HOUR: '100000' },
    },
  );
  child.stderr?.pipe(createWriteStream(join(dataDir, 'twin.log')));
  return child;
};

/** The send workload against a twin under `--cpu-prof`, with its calls and CPU accounted. */
export const profileSend = async (options: SendProfileOptions): Promise<SendProfile> => {
  const dataDir = join(ROOT, '.data', 'bench', `profile-send-${process.pid}`);
  const profileDir = join(dataDir, 'profile');
  mkdirSync(dataDir, { recursive: true });
  const child = startProfiledTwin(dataDir, profileDir, options.consumers);
  const twin = lineReader(child);
  try {
    const { api, ws, pid } = JSON.parse(await twin.next('READY')) as { api: string; ws: string; pid: number };
    const context = await benchContext(api, dataDir);
    const [send] = MESSAGING_WORKLOADS;
    if (!send) throw new Error('no send workload');
    const load = { ...autocannonOptions(api, await send.prepare(context)), connections: options.connections };
    const crowd = options.crowd ? await crowdConversation(context, '000000') : undefined;
    await warmUp([load]);
    await runLoad({ ...load, duration: 2 });
    await twin.ask('idle', 'IDLE');
    await twin.ask('calls', 'CALLS');

    const cpuBefore = cpuTicksOfTree(pid);
    const generatorBefore = process.cpuUsage();
    const from = Number(await twin.ask('mark', 'MARK'));
    const result = crowd
      ? await crowdLoad(ws, context, crowd)
      : options.latency
        ? await latencyLoad(ws, context)
        : await runLoad({ ...load, duration: options.seconds });
    const loadEnd = Number(await twin.ask('mark', 'MARK'));
    const cpuAtLoadEnd = cpuTicksOfTree(pid);
    const generator = process.cpuUsage(generatorBefore);
    await twin.ask('idle', 'IDLE');
    const to = Number(await twin.ask('mark', 'MARK'));
    const cpuAfter = cpuTicksOfTree(pid);
    const counted = JSON.parse(await twin.ask('calls', 'CALLS')) as Record<
      string,
      { count: number; ms: number }
    >;
    const sends = result.requests.total - result.non2xx;

    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    const written = readdirSync(profileDir).find((name) => name.includes(`.${pid}.`));
    if (!written) throw new Error(`no CPU profile of ${pid} in ${profileDir}`);
    const profile = JSON.parse(readFileSync(join(profileDir, written), 'utf8')) as CpuProfile;
    return {
      ...options,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      sends,
      catchUpMs: Math.round((to - loadEnd) / 1000),
      calls: Object.entries(counted)
        .sort()
        .map(([call, { count, ms }]) => ({ call, perSend: count / Math.max(sends, 1), ms })),
      cpuDuringLoad: cpuUsed(cpuBefore, cpuAtLoadEnd, (loadEnd - from) / 1000, sends),
      cpuUntilCaughtUp: cpuUsed(cpuBefore, cpuAfter, (to - from) / 1000, sends),
      loadWallMs: (loadEnd - from) / 1000,
      generatorCpuSeconds: (generator.user + generator.system) / 1e6,
      summary: selfTimes(profile, ROOT, { fromMicros: from, toMicros: to }),
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (process.env.KEEP_PROFILE !== '1') rmSync(dataDir, { recursive: true, force: true });
    else console.log(`\nprofile and log kept in ${dataDir}`);
  }
};

if (import.meta.main) {
  const { values: args } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      consumers: { type: 'string', default: 'on' },
      top: { type: 'string', default: '25' },
      /** Instead of throughput: write → live event latency to 1 and 100 tabs, as bench/realtime.ts measures it. */
      latency: { type: 'boolean', default: false },
      /** Instead of throughput: write → live event latency to 99 users of one conversation. */
      crowd: { type: 'boolean', default: false },
    },
  });
  const figure = await profileSend({
    seconds: Number(args.seconds),
    connections: Number(args.connections),
    consumers: args.consumers === 'off' ? 'off' : 'on',
    latency: args.latency,
    crowd: args.crowd,
  });
  console.log(
    `send a message @${figure.connections}, ${figure.seconds} s, stream consumers ${figure.consumers}`,
  );
  console.log(
    `  ${figure.requestsPerSecond} req/s, p50 ${figure.p50Ms} ms, p99 ${figure.p99Ms} ms, ` +
      `non-2xx ${figure.non2xx}, errors ${figure.errors}; consumers caught up ${figure.catchUpMs} ms after the load`,
  );
  console.log('\nDynamoDB calls per send (the warm-up excluded), and the mean time of one:');
  for (const { call, perSend, ms } of figure.calls)
    console.log(`  ${call}: ${perSend.toFixed(2)} (${ms} ms)`);
  console.log(`\nCPU during the load (${(figure.loadWallMs / 1000).toFixed(1)} s):`);
  console.log(formatCpu(figure.cpuDuringLoad, 'send'));
  console.log(`  load generator (autocannon, this process): ${figure.generatorCpuSeconds.toFixed(2)} s CPU`);
  console.log(
    `CPU from the load's start until the consumers caught up:\n${formatCpu(figure.cpuUntilCaughtUp, 'send')}`,
  );
  console.log('\nTwin profile, from the load until the consumers caught up:');
  printSummary(figure.summary, Number(args.top));
}
