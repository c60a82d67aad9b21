import { describe, expect, it } from 'vitest';
import { areaOf } from '../../bench/profile-summary.ts';
import { roundTripsSection } from '../../bench/round-trips.ts';
import { targetsSection } from '../../bench/targets.ts';

const http = (workload: string, connections: number, requestsPerSecond: number) => ({
  workload,
  connections,
  requestsPerSecond,
  p50Ms: 5,
  p99Ms: 20,
  errors: 0,
  non2xx: 0,
});

const raw = (operation: string, concurrency: number, opsPerSecond: number) => ({
  operation,
  concurrency,
  opsPerSecond,
  p99Ms: 10,
});

const realtime = {
  latency: [{ clients: 1, users: 1, messages: 100, receipts: 100, p50Ms: 3, p99Ms: 25, maxMs: 30 }],
  throughput: [],
  backlog: { seconds: 20, senders: 50, sent: 4000, liveAfterMs: 150, ledgerAfterMs: 3500 },
};

const bundles = [
  {
    name: 'http/docs',
    entry: 'functions/http/docs.ts',
    bytes: 300 * 1024,
    totalBytes: 300 * 1024,
    importMsMedian: 70,
    importMsMin: 60,
    importProfile: { sdkMs: 50, bundleMs: 10, nodeMs: 5 },
  },
  {
    name: 'http/auth',
    entry: 'functions/http/auth.ts',
    bytes: 250 * 1024,
    totalBytes: 250 * 1024,
    importMsMedian: 95,
    importMsMin: 90,
    importProfile: { sdkMs: 55, bundleMs: 40, nodeMs: 8 },
  },
];

const rowOf = (lines: readonly string[], start: string) =>
  lines.find((line) => line.startsWith(`| ${start}`));

describe("the bench's targets", () => {
  it('takes 90 % of a raw ceiling below Parse as the target, the lower of a send’s two', () => {
    // Prepare
    const peer = [
      { workload: 'read', connections: '10', requestsPerSecond: 1000, p99Ms: 20 },
      { workload: 'write', connections: '10', requestsPerSecond: 700, p99Ms: 30 },
      { workload: 'realtime', connections: '1', p50Ms: 4, p99Ms: 20 },
    ];
    const figures = [
      http('staff lists own 20 contracts', 10, 850),
      http('POST /conversations/{id}/messages (send)', 10, 560),
    ];
    const ceilings = [
      raw('Query, 20 items of ~450 B', 10, 900),
      raw('GetItem', 10, 600),
      raw('conditional PutItem', 10, 2000),
    ];

    // Act
    const lines = targetsSection({ peer, http: figures, raw: ceilings, realtime, bundles });

    // Assess
    expect(rowOf(lines, 'staff lists own 20 contracts @10')).toContain(
      '= 810 req/s | 850 req/s (0.85× Parse) | met |',
    );
    expect(rowOf(lines, 'send a message @10')).toContain('GetItem ceiling, 600 ops/s');
    expect(rowOf(lines, 'send a message @10')).toContain('| met |');
    expect(rowOf(lines, 'write → live event, 1 subscriber')).toContain('missed by 5 ms');
    expect(rowOf(lines, 'backlog after the burst, ledger')).toContain('missed by 1,500 ms');
    expect(rowOf(lines, 'every function bundle')).toContain('missed by http/auth 250 KB');
    expect(rowOf(lines, "every function's cold import")).toContain('missed by http/auth +15 ms');
    // The bound quotes the profiled imports: the SDK's share in all, the own bundle's in those over.
    expect(rowOf(lines, "every function's cold import")).toContain('50–55 ms of each profiled import');
    expect(rowOf(lines, "every function's cold import")).toContain('40 ms in those over the target');
  });

  it("gives no verdict where the peer's run answered no requests", () => {
    // Prepare
    const peer = [{ workload: 'login', connections: '50', requestsPerSecond: 0, p99Ms: 0 }];

    // Act
    const lines = targetsSection({
      peer,
      http: [http('POST /auth/login (cognito)', 50, 70)],
      raw: [],
      realtime,
      bundles,
    });

    // Assess
    expect(rowOf(lines, 'login @50')).toContain('70 req/s; Parse answered none | — |');
  });

  it('says the ratios need a peer when none ran', () => {
    // Act
    const lines = targetsSection({ peer: undefined, http: [], raw: [], realtime, bundles });

    // Assess
    expect(lines.join('\n')).toContain('need `npm run bench -- --peer <folder>`');
    expect(rowOf(lines, 'staff lists')).toBeUndefined();
  });

  it('groups modules of a profile by area', () => {
    expect(areaOf('@smithy/core')).toBe('AWS SDK');
    expect(areaOf('node:_http_server')).toBe('Node HTTP, sockets, streams');
    expect(areaOf('node:internal/crypto/hash')).toBe('Node crypto (SigV4 and JWT hashing)');
    expect(areaOf('(garbage collector)')).toBe('GC');
    expect(areaOf('shared/runtime/http.ts')).toBe('Shiftline code (shared/, functions/)');
    expect(areaOf('local/gateway.ts (builtins)')).toBe('twin (gateway, stream poller)');
    expect(areaOf('jose')).toBe('jose (JWT)');
  });
});

describe('round trips beside the table when issue 18 was filed', () => {
  const capacity = (workload: string, calls: number) => ({
    workload,
    calls,
    readUnits: 1,
    writeUnits: 0,
    requests: 20,
  });

  it('names the feature behind each added call, and calls an unexplained one a regression', () => {
    // Prepare
    const figures = [
      capacity('GET /me (JWT verified, claims only)', 1.1),
      capacity('staff lists own 20 contracts', 1.0),
      capacity('GET /staff/{id} (recruiter reads a profile)', 2.0),
      capacity('GET /sync (a page)', 4.0),
    ];

    // Act
    const rows = roundTripsSection(figures).filter(
      (line) => line.startsWith('| ') && !line.startsWith('| workload'),
    );

    // Assess
    expect(rows).toEqual([
      expect.stringMatching(/^\| GET \/me .*\| 1\.0 \| 1\.1 \| \+0\.1: the revocation check/),
      '| staff lists own 20 contracts | 1.0 | 1.0 | the same |',
      expect.stringMatching(/\| 1\.0 \| 2\.0 \| \+1\.0: not explained by a feature: a regression \|$/),
      '| GET /sync (a page) | — | 4.0 | new this wave |',
    ]);
  });
});
