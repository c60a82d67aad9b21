import { describe, expect, it } from 'vitest';
import { parsePeerTable, peerFolder, peerSection } from '../../bench/peer.ts';

const PEER_OUTPUT = `| workload | connections | req/s | p50 ms | p99 ms | errors |
|---|---|---|---|---|---|
| read | 10 | 956 | 9 | 25 | 0 |
| write | 50 | 666 | 68 | 156 | 0 |
| login | 10 | 28 | 338 | 645 | 0 |
| realtime (write → LiveQuery event) | 1 sub | 200/200 received | 4.8 | 28.0 | 0 missing |`;

describe('the peer in the bench', () => {
  it("reads the peer's table, realtime rows included", () => {
    expect(parsePeerTable(PEER_OUTPUT)).toEqual([
      { workload: 'read', connections: '10', requestsPerSecond: 956, p50Ms: 9, p99Ms: 25 },
      { workload: 'write', connections: '50', requestsPerSecond: 666, p50Ms: 68, p99Ms: 156 },
      { workload: 'login', connections: '10', requestsPerSecond: 28, p50Ms: 338, p99Ms: 645 },
      { workload: 'realtime', connections: '1', p50Ms: 4.8, p99Ms: 28 },
    ]);
  });

  it('sets each workload beside its counterpart with both ratios', () => {
    const lines = peerSection(
      parsePeerTable(PEER_OUTPUT),
      [
        {
          workload: 'staff lists own 20 contracts',
          connections: 10,
          requestsPerSecond: 1912,
          p50Ms: 4,
          p99Ms: 50,
          errors: 0,
          non2xx: 0,
        },
      ],
      [{ clients: 1, messages: 100, receipts: 100, p50Ms: 3, p99Ms: 14, maxMs: 20 }],
    );
    expect(lines).toContain(
      '| staff lists own 20 contracts @10 | 956 req/s, p99 25 ms | 1912 req/s, p99 50 ms | 2.00× | 2.00× |',
    );
    expect(lines).toContain(
      '| write → live event, 1 subscriber(s) | p50 4.8 / p99 28 ms | p50 3 / p99 14 ms | — | 0.50× |',
    );
    expect(
      lines.some(
        (line) => line.includes('POST /conversations/{id}/messages @50') && line.includes('not measured'),
      ),
    ).toBe(true);
  });

  it('takes the folder from --peer or SHIFTLINE_PEER, and runs without one', () => {
    expect(peerFolder(['node', 'run.ts', '--peer', '/tmp/parse'])).toBe('/tmp/parse');
    expect(peerFolder(['node', 'run.ts'])).toBe(process.env.SHIFTLINE_PEER || undefined);
  });
});
