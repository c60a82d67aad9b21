/**
 * The twin bench/profile-send.ts profiles, in a process of its own (started with `--cpu-prof`):
 * in memory, free ports, demo users seeded, route throttles off as in the bench. It counts its
 * DynamoDB calls by command, apart for a request's own calls and the rest (the stream consumers),
 * and answers commands on stdin, one a line: `mark` (prints `MARK <µs of the monotonic clock>`,
 * the profile's clock), `idle` (waits for the stream consumers, prints `IDLE`), `calls` (prints
 * `CALLS <json>`: count and mean milliseconds per kind of call, and starts counting again). SIGTERM stops the twin and exits, which writes the profile.
 *
 * Usage (by bench/profile-send.ts): node --cpu-prof bench/profile-send-twin.ts <data dir> [consumers=off]
 */
import { createInterface } from 'node:readline';
import { dynamoClient } from '#data/client.ts';
import { requestScope } from '../local/request-scope.ts';
import { startTwin } from '../local/twin.ts';
import { freePorts } from '../local/twin-ports.ts';
import { seedTwin } from '../scripts/seed.ts';

const [dataDir = '', consumersArg = ''] = process.argv.slice(2);
// Throughput is the measure: the route throttles would cap it (as bench/http.ts does).
process.env.SHIFTLINE_ROUTE_THROTTLES = 'off';

/** `Main CONV`: the table and the partition prefix a call names (its item's or key's pk). */
const targetOf = (input: Record<string, unknown>): string => {
  const table = typeof input.TableName === 'string' ? input.TableName : 'batch';
  const item = (input.Item ?? input.Key) as { pk?: unknown } | undefined;
  const pk = item?.pk as string | { S?: string } | undefined;
  const text = typeof pk === 'string' ? pk : pk?.S;
  return text ? `${table} ${text.split('#')[0]}` : table;
};

let calls: Record<string, number> = {};
/** Milliseconds spent in each kind of call, from its send to its answer (the SDK's work included). */
let callMs: Record<string, number> = {};
dynamoClient.middlewareStack.add(
  (next, context) => async (args) => {
    const scope = requestScope.getStore() ? 'request' : 'consumers';
    const key = `${scope} ${context.commandName ?? '?'} ${targetOf(args.input as Record<string, unknown>)}`;
    calls[key] = (calls[key] ?? 0) + 1;
    const started = performance.now();
    try {
      return await next(args);
    } finally {
      callMs[key] = (callMs[key] ?? 0) + performance.now() - started;
    }
  },
  { step: 'initialize', name: 'profileSendCallCounter' },
);

const twin = await startTwin({
  dataDir,
  inMemory: true,
  ports: await freePorts(),
  confirmationCode: '000000',
  streamConsumers: consumersArg !== 'consumers=off',
});
await seedTwin(twin, dataDir);

process.on('SIGTERM', async () => {
  await twin.stop();
  process.exit(0);
});

const commands: Record<string, () => Promise<string>> = {
  mark: async () => `MARK ${process.hrtime.bigint() / 1000n}`,
  idle: async () => {
    // Under the profiler, the warm-up's 30 s of sends take the consumers about as long again.
    await twin.streamsIdle(300_000);
    return 'IDLE';
  },
  calls: async () => {
    const counted = Object.fromEntries(
      Object.entries(calls).map(([key, count]) => [
        key,
        { count, ms: Math.round(((callMs[key] ?? 0) / count) * 100) / 100 },
      ]),
    );
    calls = {};
    callMs = {};
    return `CALLS ${JSON.stringify(counted)}`;
  },
};

createInterface({ input: process.stdin }).on('line', async (line) => {
  const command = commands[line.trim()];
  if (command) console.log(await command());
});
console.log(`READY ${JSON.stringify({ api: twin.urls.api, ws: twin.urls.ws, pid: process.pid })}`);
