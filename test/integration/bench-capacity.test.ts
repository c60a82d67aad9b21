/**
 * The bench's DynamoDB call counter sees every call a request makes, the GraphQL resolvers'
 * included: the single contract request is counted with the reads its composed fields make
 * (staff batch, credentials and appointments), not only the contract's own GetItem.
 */
import { describe, expect, it } from 'vitest';
import { measureCapacity } from '../../bench/capacity.ts';
import { withInProcessTwin } from '../../bench/in-process-twin.ts';
import { GRAPHQL_WORKLOADS } from '../../bench/workloads/graphql.ts';
import type { BenchContext } from '../../bench/workloads.ts';

/** The load runs' twin, gone by the time capacity is counted: its contract exists nowhere else. */
const otherTwin: BenchContext = {
  api: 'http://127.0.0.1:1',
  sessions: new Proxy({} as BenchContext['sessions'], { get: () => ({ idToken: 't', userId: 'u' }) }),
  call: async (method, path) => {
    if (path === '/me') return { status: 200, body: { staffProfileId: '01J0000000000000000000STAF' } };
    if (path === '/contracts')
      return { status: 201, body: { id: '01J0000000000000000000CTRX', currentVersion: 1 } };
    return { status: method === 'POST' ? 201 : 200, body: {} };
  },
};

describe('bench capacity counter', () => {
  it('counts the GraphQL resolvers’ calls of the single contract request', { timeout: 240_000 }, async () => {
    // Prepare: the workloads already prepared once, for another twin (as the load runs do).
    for (const workload of GRAPHQL_WORKLOADS) await workload.prepare(otherTwin);

    // Act
    const figures = await withInProcessTwin('capacity-test', (twin, dataDir) =>
      measureCapacity(twin, dataDir, GRAPHQL_WORKLOADS),
    );

    // Assess: GetItem (contract) + BatchGetItem (staff) + GetItem and Query per list it runs.
    const calls = Object.fromEntries(figures.map((figure) => [figure.workload, figure.calls]));
    const single = calls[GRAPHQL_WORKLOADS[0]?.name ?? ''];
    expect(single).toBeCloseTo(6, 0);
    const restCalls = GRAPHQL_WORKLOADS.slice(1).map((workload) => calls[workload.name] ?? 0);
    // Every REST call it stands for found its item (a 404 would stop at one GetItem).
    expect(restCalls.map(Math.round)).toEqual([1, 2, 1, 2, 2]);
  });
});
