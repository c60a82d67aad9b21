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
 * Usage: node bench/profile-send.ts [--seconds 10] [--connections 10] [--consumers off] [--top 25] [--latency]
 * (`--latency`: instead of the throughput load, write → live event latency to 1 and 100 tabs of
 * one user, one message at a time, as bench/realtime.ts measures it, with the same accounting).
 * Figures on a machine shared with other work are indicative only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { ROOT } from '../test/support/twin-process.ts';
import { formatTop, profileTop } from './cpu-profile-top.ts';
import { autocannonOptions, benchContext } from './http.ts';
import { measureLatency } from './realtime.ts';
import { MESSAGING_WORKLOADS } from './workloads/messaging.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    consumers: { type: 'string', default: 'on' },
    top: { type: 'string', default: '25' },
    /** Instead of throughput: write → live event latency to 1 and 100 tabs, as bench/realtime.ts measures it. */
    latency: { type: 'boolean', default: false },
  },
});
const seconds = Number(args.seconds);
const connections = Number(args.connections);

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

/** User + system CPU ticks (1/100 s) of a process and its descendants, by what they are. */
const cpuTicksOfTree = (root: number): Map<string, number> => {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        const ticks = Number(fields[11]) + Number(fields[12]);
        return [{ pid: Number(pid), ppid: Number(fields[1]), ticks, cmdline }];
      } catch {
        return [];
      }
    });
  const tree = new Set([root]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const stat of stats)
      if (!tree.has(stat.pid) && tree.has(stat.ppid)) grown = tree.add(stat.pid) !== undefined;
  }
  const byRole = new Map<string, number>();
  for (const stat of stats.filter((candidate) => tree.has(candidate.pid))) {
    const role =
      stat.pid === root
        ? 'twin (Node: gateways, handlers, stream consumers)'
        : /java/.test(stat.cmdline)
          ? 'DynamoDB Local (JVM)'
          : /cognito/.test(stat.cmdline)
            ? 'cognito-local'
            : 'other children';
    byRole.set(role, (byRole.get(role) ?? 0) + stat.ticks);
  }
  return byRole;
};

const cpuLines = (before: Map<string, number>, after: Map<string, number>, wallMs: number, sends: number) =>
  [...after.entries()]
    .map(([role, ticks]) => {
      const used = (ticks - (before.get(role) ?? 0)) / 100;
      const core = ((used * 1000 * 100) / wallMs).toFixed(0);
      const perSend = ((used * 1000) / Math.max(sends, 1)).toFixed(2);
      return `  ${role}: ${used.toFixed(2)} s CPU (${core} % of one core), ${perSend} ms per send`;
    })
    .join('\n');

const run = (options: autocannon.Options) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });

/** Latency to 1 and 100 tabs, printed; answered in autocannon's shape for the accounting below. */
const latencyLoad = async (ws: string, context: Awaited<ReturnType<typeof benchContext>>) => {
  const { recruiter, staff } = context.sessions;
  const opened = await context.call('POST', '/conversations', recruiter.idToken, {
    participantIds: [staff.userId],
    subject: 'Latency profile',
  });
  const conversationId = (opened.body as { id: string }).id;
  let total = 0;
  for (const clients of [1, 100]) {
    const tokens = { sender: recruiter.idToken, receivers: Array(clients).fill(staff.idToken) };
    const figure = await measureLatency(ws, context.api, tokens, conversationId);
    total += figure.messages + 5;
    console.log(
      `write → live event, ${clients} tab(s): p50 ${figure.p50Ms} ms, p99 ${figure.p99Ms} ms, max ${figure.maxMs} ms`,
    );
  }
  return { requests: { total, average: 0 }, latency: { p50: 0, p99: 0 }, non2xx: 0, errors: 0, timeouts: 0 };
};

const dataDir = join(ROOT, '.data', 'bench', `profile-send-${process.pid}`);
const profileDir = join(dataDir, 'profile');
mkdirSync(profileDir, { recursive: true });
const child = spawn(
  process.execPath,
  [
    '--cpu-prof',
    `--cpu-prof-dir=${profileDir}`,
    join(ROOT, 'bench', 'profile-send-twin.ts'),
    dataDir,
    `consumers=${args.consumers}`,
  ],
  { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' } },
);
child.stderr?.pipe(createWriteStream(join(dataDir, 'twin.log')));
const twin = lineReader(child);
try {
  const { api, ws, pid } = JSON.parse(await twin.next('READY')) as { api: string; ws: string; pid: number };
  const context = await benchContext(api, dataDir);
  const [send] = MESSAGING_WORKLOADS;
  if (!send) throw new Error('no send workload');
  const options = { ...autocannonOptions(api, await send.prepare(context)), connections };
  await run({ ...options, duration: 2 });
  await twin.ask('idle', 'IDLE');
  await twin.ask('calls', 'CALLS');

  const cpuBefore = cpuTicksOfTree(pid);
  const loadBefore = process.cpuUsage();
  const from = Number(await twin.ask('mark', 'MARK'));
  const result = args.latency ? await latencyLoad(ws, context) : await run({ ...options, duration: seconds });
  const loadEnd = Number(await twin.ask('mark', 'MARK'));
  const cpuAtLoadEnd = cpuTicksOfTree(pid);
  const load = process.cpuUsage(loadBefore);
  await twin.ask('idle', 'IDLE');
  const to = Number(await twin.ask('mark', 'MARK'));
  const cpuAfter = cpuTicksOfTree(pid);
  const calls = JSON.parse(await twin.ask('calls', 'CALLS')) as Record<string, { count: number; ms: number }>;

  const sends = result.requests.total - result.non2xx;
  console.log(`send a message @${connections}, ${seconds} s, stream consumers ${args.consumers}`);
  console.log(
    `  ${result.requests.average} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
      `non-2xx ${result.non2xx}, errors ${result.errors + result.timeouts}; consumers caught up ` +
      `${Math.round((to - loadEnd) / 1000)} ms after the load`,
  );
  console.log('\nDynamoDB calls per send (the warm-up excluded), and the mean time of one:');
  for (const [call, { count, ms }] of Object.entries(calls).sort())
    console.log(`  ${call}: ${(count / Math.max(sends, 1)).toFixed(2)} (${ms} ms)`);
  const loadMs = (loadEnd - from) / 1000;
  console.log(`\nCPU during the load (${(loadMs / 1000).toFixed(1)} s):`);
  console.log(cpuLines(cpuBefore, cpuAtLoadEnd, loadMs, sends));
  console.log(
    `  load generator (autocannon, this process): ${((load.user + load.system) / 1e6).toFixed(2)} s CPU`,
  );
  console.log(
    `CPU from the load's start until the consumers caught up:\n${cpuLines(cpuBefore, cpuAfter, (to - from) / 1000, sends)}`,
  );

  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const profile = readdirSync(profileDir).find((name) => name.includes(`.${pid}.`));
  if (!profile) throw new Error(`no CPU profile of ${pid} in ${profileDir}`);
  const top = profileTop(join(profileDir, profile), from, to, Number(args.top));
  console.log(`\nTwin profile, ${top.windowMs} ms window: busy ${top.busyMs} ms, idle ${top.idleMs} ms`);
  console.log(`\nSelf time by area:\n${formatTop(top.areas)}`);
  console.log(`\nSelf time by function:\n${formatTop(top.functions)}`);
} finally {
  if (child.exitCode === null) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (process.env.KEEP_PROFILE !== '1') rmSync(dataDir, { recursive: true, force: true });
  else console.log(`\nprofile and log kept in ${dataDir}`);
}
