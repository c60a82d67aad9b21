/**
 * RESULTS.md's "Targets": issue 18's targets computed from this run's own figures — the twin's
 * workloads, the peer's, the raw DynamoDB Local ceilings, real time, the backlog and the bundles.
 * The issue's rule: where a raw ceiling measured in the same run is below Parse's figure, the
 * target is 90 % of that ceiling instead (the twin can never beat the engine under it).
 */

import {
  CROWD_PROFILE,
  DECISIONS,
  LIST_PROFILE,
  READ_PATH_DECISION,
  SEND_PATH_DECISION,
  SEND_PROFILE,
} from './anchors.ts';
import type { BundleFigure } from './bundles.ts';
import type { HttpFigure } from './http.ts';
import type { PeerRow } from './peer.ts';
import type { RawFigure } from './raw-dynamodb.ts';
import type { RealtimeFigures } from './realtime.ts';

const BUNDLE_LIMIT_KB = 200;
const LARGE_BUNDLE_LIMIT_KB = 400;
/** The functions the issue allows 400 KB: the docs (OpenAPI) and GraphQL ones. */
const LARGE_BUNDLES = new Set(['http/docs', 'http/graphql']);
const COLD_IMPORT_LIMIT_MS = 80;
const BACKLOG_LIMIT_MS = 2000;

const COLD_STARTS = `${DECISIONS}#cold-starts-and-bundle-sizes-issue-18-session-3`;
const REAL_TIME = `${DECISIONS}#real-time-off-the-stream`;
const CONSUMERS = `${DECISIONS}#consumers-that-keep-pace`;
const PRESENCE = `${DECISIONS}#presence-items-issue-18-session-2-follow-up-landed-in-session-3`;
const PER_BATCH = `${DECISIONS}#counters-and-the-change-log-once-per-batch-issue-18-session-5`;

interface Row {
  target: string;
  measured: string;
  verdict: string;
  bound: string;
}

const number = (value: number) => Math.round(value).toLocaleString('en-US');
const missedBy = (met: boolean, shortBy: string) => (met ? 'met' : `missed by ${shortBy}`);

/** A throughput target: `ratio` × Parse, or 90 % of the lowest ceiling it rests on when that is below Parse. */
const throughputRow = (
  name: string,
  connections: number,
  ratio: number,
  ours: HttpFigure | undefined,
  parse: PeerRow | undefined,
  ceilings: readonly RawFigure[],
  bound: string,
): Row => {
  const parseRate = parse?.requestsPerSecond;
  const ceiling = ceilings.reduce<RawFigure | undefined>(
    (lowest, figure) => (lowest === undefined || figure.opsPerSecond < lowest.opsPerSecond ? figure : lowest),
    undefined,
  );
  if (ours === undefined || parseRate === undefined || parseRate <= 0)
    return {
      target: `${name} @${connections} ≥ ${ratio}× Parse`,
      measured:
        ours === undefined ? 'not measured' : `${number(ours.requestsPerSecond)} req/s; Parse answered none`,
      verdict: '—',
      bound,
    };
  const capped = ratio === 1 && ceiling !== undefined && ceiling.opsPerSecond < parseRate;
  const targetRate = capped ? ceiling.opsPerSecond * 0.9 : parseRate * ratio;
  const target = capped
    ? `${name} @${connections} ≥ 90 % of the ${ceiling.operation} ceiling, ${number(ceiling.opsPerSecond)} ops/s (below Parse's ${number(parseRate)} req/s) = ${number(targetRate)} req/s`
    : `${name} @${connections} ≥ ${ratio}× Parse (${number(parseRate)} req/s) = ${number(targetRate)} req/s`;
  const met = ours.requestsPerSecond >= targetRate;
  return {
    target,
    measured: `${number(ours.requestsPerSecond)} req/s (${(ours.requestsPerSecond / parseRate).toFixed(2)}× Parse)`,
    verdict: missedBy(
      met,
      `${number(targetRate - ours.requestsPerSecond)} req/s (${((1 - ours.requestsPerSecond / targetRate) * 100).toFixed(0)} %)`,
    ),
    bound: met ? '—' : bound,
  };
};

const latencyRow = (
  name: string,
  limitRatio: number,
  oursP99: number | undefined,
  parseP99: number | undefined,
  bound: string,
): Row => {
  if (oursP99 === undefined || parseP99 === undefined)
    return { target: `${name}: p99 ≤ ${limitRatio}× Parse`, measured: 'not measured', verdict: '—', bound };
  const limit = parseP99 * limitRatio;
  const met = oursP99 <= limit;
  return {
    target: `${name}: p99 ≤ ${limitRatio}× Parse's (${parseP99} ms) = ${number(limit)} ms`,
    measured: `p99 ${oursP99} ms (${(oursP99 / parseP99).toFixed(1)}× Parse)`,
    verdict: missedBy(met, `${number(oursP99 - limit)} ms`),
    bound: met ? '—' : bound,
  };
};

const limitRow = (
  target: string,
  measured: number | undefined,
  limit: number,
  unit: string,
  bound: string,
): Row => ({
  target,
  measured: measured === undefined ? 'not within the wait' : `${number(measured)} ${unit}`,
  verdict:
    measured === undefined ? 'missed' : missedBy(measured <= limit, `${number(measured - limit)} ${unit}`),
  bound: measured !== undefined && measured <= limit ? '—' : bound,
});

/** `50–70 ms` (or `50 ms`) over the non-zero values. */
const range = (values: readonly number[]) => {
  const loaded = values.filter((value) => value > 0);
  const [low, high] = [Math.min(...loaded).toFixed(0), Math.max(...loaded).toFixed(0)];
  return loaded.length === 0 ? '0 ms' : low === high ? `${low} ms` : `${low}–${high} ms`;
};

const bundleRows = (bundles: readonly BundleFigure[]): Row[] => {
  const overSize = bundles.filter(
    (figure) =>
      figure.bytes / 1024 > (LARGE_BUNDLES.has(figure.name) ? LARGE_BUNDLE_LIMIT_KB : BUNDLE_LIMIT_KB),
  );
  const overImport = bundles.filter((figure) => figure.importMsMedian > COLD_IMPORT_LIMIT_MS);
  const largest = Math.max(...bundles.map((figure) => figure.bytes / 1024));
  const slowest = Math.max(...bundles.map((figure) => figure.importMsMedian));
  const list = (figures: readonly BundleFigure[], value: (figure: BundleFigure) => string) =>
    figures.map((figure) => `${figure.name} ${value(figure)}`).join(', ');
  return [
    {
      target: `every function bundle ≤ ${BUNDLE_LIMIT_KB} KB (docs and GraphQL ≤ ${LARGE_BUNDLE_LIMIT_KB} KB)`,
      measured: `largest ${largest.toFixed(0)} KB; ${bundles.length - overSize.length} of ${bundles.length} within`,
      verdict:
        overSize.length === 0
          ? 'met'
          : `missed by ${list(overSize, (figure) => `${(figure.bytes / 1024).toFixed(0)} KB`)}`,
      bound:
        overSize.length === 0
          ? '—'
          : `what every request of the function needs: zod (97 KB), the logger and the services it shows ([decision](${COLD_STARTS}))`,
    },
    {
      target: `every function's cold import ≤ ${COLD_IMPORT_LIMIT_MS} ms median`,
      measured: `slowest ${slowest.toFixed(0)} ms; ${bundles.length - overImport.length} of ${bundles.length} within`,
      verdict:
        overImport.length === 0
          ? 'met'
          : `missed by ${list(overImport, (figure) => `+${(figure.importMsMedian - COLD_IMPORT_LIMIT_MS).toFixed(0)} ms`)}`,
      bound:
        overImport.length === 0
          ? '—'
          : `the SDK packages Lambda ships, loaded and compiled: ${range(bundles.map((figure) => figure.importProfile.sdkMs))} of each profiled import that loads a client, before any of ours; then the function's own bundle (zod and its schemas the most): ${range(overImport.map((figure) => figure.importProfile.bundleMs))} in those over the target ([profile](#function-bundles), [decision](${COLD_STARTS}))`,
    },
  ];
};

export interface TargetInputs {
  peer: readonly PeerRow[] | undefined;
  http: readonly HttpFigure[];
  raw: readonly RawFigure[];
  realtime: RealtimeFigures;
  bundles: readonly BundleFigure[];
}

const peerRowsOf = ({ peer, http, raw, realtime }: TargetInputs): Row[] => {
  const parse = (workload: string, connections: number) =>
    peer?.find((row) => row.workload === workload && row.connections === String(connections));
  const ours = (prefix: string, connections: number) =>
    http.find((figure) => figure.workload.startsWith(prefix) && figure.connections === connections);
  const ceilings = (operations: readonly string[], connections: number) =>
    raw.filter(
      (figure) =>
        operations.some((name) => figure.operation.startsWith(name)) && figure.concurrency === connections,
    );
  const listBound = `the twin's CPU per request — the AWS SDK's per-call work (signing, HTTP, unmarshalling) the largest part — on 2 cores shared with DynamoDB Local and the load generator ([profile](${LIST_PROFILE}), [decision](${READ_PATH_DECISION}))`;
  const sendBound = `the DynamoDB calls each send sets off (3 in the request; by the consumers its ledger entry, and its share of the batch's counter and sync-log writes) on the same DynamoDB Local and cores ([profile](${SEND_PROFILE}), [decisions](${SEND_PATH_DECISION}), [per batch](${PER_BATCH}))`;
  const rows = [10, 50].flatMap((connections) => [
    throughputRow(
      'staff lists own 20 contracts',
      connections,
      1,
      ours('staff lists own 20 contracts', connections),
      parse('read', connections),
      ceilings(['Query'], connections),
      listBound,
    ),
    throughputRow(
      'send a message',
      connections,
      1,
      ours('POST /conversations/{id}/messages', connections),
      parse('write', connections),
      ceilings(['GetItem', 'conditional PutItem'], connections),
      sendBound,
    ),
    throughputRow(
      'login',
      connections,
      2,
      ours('POST /auth/login', connections),
      parse('login', connections),
      [],
      "cognito-local's file store, rewritten on every login",
    ),
  ]);
  const live = (clients: number, manyUsers: boolean) =>
    realtime.latency.find((figure) => figure.clients === clients && (figure.users ?? 1) > 1 === manyUsers)
      ?.p99Ms;
  const parseLive = (clients: number) => parse('realtime', clients)?.p99Ms;
  const liveBound = `each frame is a signed @connections POST (as in AWS) made by the send handler, in the twin's one Node process with the gateway and the write ([profile](${SEND_PROFILE}), [decision](${REAL_TIME}))`;
  const oneSubscriberBound = `the slowest of the 100 messages: the stream consumers' work for the message before (its ledger entry, counters, sync log) shares the twin's one Node process and DynamoDB Local with the send, which Lambda's sandboxes never do; with the consumers off the same measure's p99 was 10–19 ms (\`node bench/profile-send.ts --latency --consumers off\`, [decision](${PER_BATCH}))`;
  const crowdBound = `the CPU each message costs the twin (Node) and DynamoDB Local, on 2 cores, while the next one is sent: 100 signed @connections POSTs from the send handler, then by the notify consumer the message's ~100 sync-log entries (one per member's feed) and its share of one counter update per member per batch ([profile](${CROWD_PROFILE}), [decision](${PER_BATCH}), [presence](${PRESENCE}))`;
  return [
    ...rows,
    latencyRow('write → live event, 1 subscriber', 1, live(1, false), parseLive(1), oneSubscriberBound),
    latencyRow(
      "write → live event, 100 connections (one user's tabs) vs Parse's 100 subscribers",
      3,
      live(100, false),
      parseLive(100),
      liveBound,
    ),
    latencyRow(
      "write → live event, 100 connections (99 users in one conversation) vs Parse's 100 subscribers",
      3,
      live(100, true),
      parseLive(100),
      crowdBound,
    ),
  ];
};

/** The RESULTS.md section: one row per target of the issue. */
export const targetsSection = (inputs: TargetInputs): string[] => {
  const { backlog } = inputs.realtime;
  const rows: Row[] = [
    ...(inputs.peer === undefined ? [] : peerRowsOf(inputs)),
    limitRow(
      `backlog after the burst, live: ≤ ${BACKLOG_LIMIT_MS} ms`,
      backlog?.liveAfterMs,
      BACKLOG_LIMIT_MS,
      'ms',
      `fan-out on the send path ([decision](${REAL_TIME}))`,
    ),
    limitRow(
      `backlog after the burst, ledger: ≤ ${BACKLOG_LIMIT_MS} ms`,
      backlog?.ledgerAfterMs,
      BACKLOG_LIMIT_MS,
      'ms',
      `the audit consumer's pace ([decision](${CONSUMERS}))`,
    ),
    ...bundleRows(inputs.bundles),
  ];
  return [
    '## Targets',
    '',
    "Issue 18's targets, computed from this run's figures below. Where a raw DynamoDB Local ceiling",
    "measured in this run is below Parse's figure, the target is 90 % of that ceiling (list: the Query",
    'ceiling; send: the lower of GetItem and conditional PutItem).',
    ...(inputs.peer === undefined
      ? ['', 'No peer in this run: the ratios to Parse need `npm run bench -- --peer <folder>`.']
      : []),
    '',
    '| target | measured | met? | what bounds it |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.target} | ${row.measured} | ${row.verdict} | ${row.bound} |`),
    '',
  ];
};
