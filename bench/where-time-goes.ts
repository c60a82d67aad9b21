/**
 * RESULTS.md's "Where the time goes": the twin profiled in the same run under the two workloads
 * whose targets are throughput ratios — staff lists own 20 contracts (bench/profile-workload.ts)
 * and send a message (bench/profile-send.ts), at 10 connections — and under the live event to 99
 * users of one conversation, with its CPU per request per process, the DynamoDB calls a send
 * makes, and the top self-time entries by area.
 */
import { READ_PATH_DECISION, SEND_PATH_DECISION } from './anchors.ts';
import { type ProcessCpu, TWIN_NODE } from './process-cpu.ts';
import { profileSend, type SendProfile } from './profile-send.ts';
import type { ProfileSummary } from './profile-summary.ts';
import { profileWorkload, type WorkloadProfile } from './profile-workload.ts';
import { benchSeconds } from './scale.ts';

export interface WhereTimeGoes {
  list: WorkloadProfile;
  send: SendProfile;
  crowd: SendProfile;
}

const TOP = 12;

export const measureWhereTimeGoes = async (): Promise<WhereTimeGoes> => {
  const list = await profileWorkload('staff lists own 20 contracts', 10, benchSeconds(10), false);
  console.error(`profile, list @10: ${list.requestsPerSecond} req/s`);
  const send = await profileSend({
    seconds: benchSeconds(10),
    connections: 10,
    consumers: 'on',
    latency: false,
  });
  console.error(`profile, send @10: ${send.requestsPerSecond} req/s`);
  const crowd = await profileSend({
    seconds: benchSeconds(10),
    connections: 10,
    consumers: 'on',
    latency: false,
    crowd: true,
  });
  console.error(`profile, 99 users: p50 ${crowd.p50Ms} ms, p99 ${crowd.p99Ms} ms`);
  return { list, send, crowd };
};

const share = (ms: number, busyMs: number) => `${((ms / Math.max(busyMs, 1)) * 100).toFixed(1)} %`;

const cpuTable = (cpu: readonly ProcessCpu[], unit: string) => [
  `| process | CPU | of one core | CPU per ${unit} |`,
  '|---|---:|---:|---:|',
  ...cpu.map(
    (process) =>
      `| ${process.role} | ${process.seconds.toFixed(2)} s | ${(process.coreShare * 100).toFixed(0)} % | ${process.msPerRequest.toFixed(2)} ms |`,
  ),
  '',
];

const topTables = (summary: ProfileSummary) => {
  const busy = summary.areas.filter(([area]) => area !== 'V8 idle');
  return [
    `Sampled ${(summary.totalMs / 1000).toFixed(1)} s, busy ${(summary.busyMs / 1000).toFixed(1)} s; shares are of the busy time.`,
    '',
    '| area | self time | share |',
    '|---|---:|---:|',
    ...busy
      .slice(0, TOP)
      .map(([area, ms]) => `| ${area} | ${ms.toFixed(0)} ms | ${share(ms, summary.busyMs)} |`),
    '',
    `Top ${TOP} functions by self time:`,
    '',
    '| function | area | self time | share |',
    '|---|---|---:|---:|',
    ...summary.functions
      .filter(([name]) => name !== '(idle)')
      .slice(0, TOP)
      .map(
        ([name, ms]) =>
          `| \`${name.replaceAll('|', '\\|')}\` | ${summary.areaOfFunction[name] ?? '?'} | ${ms.toFixed(0)} ms | ${share(ms, summary.busyMs)} |`,
      ),
    '',
  ];
};

/** The DynamoDB calls a profiled send (or message) made, its own and its consumers', per `unit`. */
const callsTable = (profile: SendProfile, unit: string, own: string) => [
  `DynamoDB calls per ${unit} (${own} own, and the stream consumers' it causes), and the mean time of one:`,
  '',
  `| scope, command, table, key | per ${unit} | mean time |`,
  '|---|---:|---:|',
  ...profile.calls.map(({ call, perSend, ms }) => `| ${call} | ${perSend.toFixed(2)} | ${ms} ms |`),
  '',
];

export const whereTimeGoesSection = ({ list, send, crowd }: WhereTimeGoes): string[] => [
  '## Where the time goes',
  '',
  "The twin profiled in this run (V8's sampling profiler in the twin's Node process) under the two",
  'throughput workloads, each on a twin of its own warmed as the bench warms it (bench/warm-up.ts), then',
  '2 s warm-up and the profiled window, and under the live event to 99 users; CPU per process from /proc. The',
  'profiler costs a few per cent of throughput. The analysis: docs/decisions.md,',
  `["The read path's per-request cost"](${READ_PATH_DECISION}) and ["The send path's cost"](${SEND_PATH_DECISION}).`,
  '',
  '### Profile: staff lists own 20 contracts at 10 connections',
  '',
  `${list.requestsPerSecond.toFixed(0)} req/s during the profile (${list.seconds} s), p99 ${list.p99Ms} ms, non-2xx ${list.non2xx};`,
  `the twin's Node process used ${list.twinCpuMsPerRequest.toFixed(2)} ms of CPU per request. One Query per request`,
  '(the capacity table above).',
  '',
  ...cpuTable(list.cpu, 'request'),
  ...topTables(list.summary),
  '### Profile: send a message at 10 connections',
  '',
  `${send.requestsPerSecond.toFixed(0)} req/s during the profile (${send.seconds} s), p99 ${send.p99Ms} ms, non-2xx ${send.non2xx};`,
  `the twin's Node process used ${(send.cpuDuringLoad.find((process) => process.role === TWIN_NODE)?.msPerRequest ?? 0).toFixed(2)} ms of CPU per send during the load. The stream`,
  `consumers caught up ${send.catchUpMs} ms after the load; the profile covers the load and that catch-up.`,
  '',
  'CPU during the load:',
  '',
  ...cpuTable(send.cpuDuringLoad, 'send'),
  ...callsTable(send, 'send', "the request's"),
  ...topTables(send.summary),
  '### Profile: a message to 99 users in one conversation',
  '',
  `The crowd of "Real time on the twin" (100 connections, 99 users signed up before the profile), ${crowd.sends}`,
  `messages one at a time, each sent once the one before reached every connection: p50 ${crowd.p50Ms} ms, p99 ${crowd.p99Ms} ms`,
  `under the profiler. The stream consumers caught up ${crowd.catchUpMs} ms after the last; the profile covers the`,
  "messages and that catch-up. The connections' opening and closing (CONN, LIVE, SESSION calls, about one",
  'per message in the table) fall inside the window too.',
  '',
  'CPU from the first message until the consumers caught up:',
  '',
  ...cpuTable(crowd.cpuUntilCaughtUp, 'message'),
  ...callsTable(crowd, 'message', "the send's"),
  ...topTables(crowd.summary),
];
