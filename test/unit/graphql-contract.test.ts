/**
 * The single contract request over fake operations: the composed fields read once per list
 * level (one staff batch, one credentials and one appointments read per staff member), and
 * each required type meets the staff member's best matching credential.
 */
import { describe, expect, it } from 'vitest';
import { runGraphql } from '#runtime/graphql/execute.ts';
import { SERVED_FIELDS, SERVED_SDL } from '#runtime/graphql/generated/served-schema.ts';
import type { GraphqlContext } from '#runtime/graphql/run-route.ts';
import { servedSchemaOf } from '#runtime/graphql/served.ts';
import type { Operation } from '#runtime/http.ts';
import { ROUTES, type RouteDefinition } from '#shared/routes.ts';
import { captureLogs, claimsFor, httpEvent, lambdaContext } from './support/lambda.ts';

const STAFF_A = '01J00000000000000000STAFFA';
const STAFF_B = '01J00000000000000000STAFFB';
const contract = (id: string, staffId: string) => ({
  id,
  staffId,
  title: 'Nights',
  terms: 'Terms',
  startDate: '2031-01-01',
  endDate: '2031-02-01',
  requiredCredentialTypes: ['BLS', 'RN'],
  status: 'offered',
  currentVersion: 1,
  contentHash: 'h',
  version: 2,
  createdAt: 'c',
  updatedAt: 'u',
});
const credential = (type: string, status: string, updatedAt: string) => ({
  id: `${type}-${status}`,
  staffId: STAFF_A,
  type,
  status,
  expiryWarning: null,
  version: 1,
  createdAt: 'c',
  updatedAt,
});
const appointment = (id: string, contractId: string) => ({
  id,
  staffId: STAFF_A,
  contractId,
  startAt: '2031-01-02T07:00:00.000Z',
  endAt: '2031-01-02T19:00:00.000Z',
  status: 'scheduled',
  version: 1,
  createdAt: 'c',
  updatedAt: 'u',
});

const setUp = () => {
  const calls: string[] = [];
  const page = (items: unknown[]) => ({ status: 200, body: { items, nextCursor: null } });
  const operations: Record<string, Operation> = new Proxy(
    {
      listContracts: async () => {
        calls.push('listContracts');
        return page([contract('C1', STAFF_A), contract('C2', STAFF_A), contract('C3', STAFF_B)]);
      },
      listStaffCredentials: async (input) => {
        calls.push(`credentials ${String(input.params.id)}`);
        return page([
          credential('RN', 'expired', '2020'),
          credential('RN', 'active', '2019'),
          credential('BLS', 'pending', '2021'),
        ]);
      },
      listAppointments: async (input) => {
        calls.push(`appointments ${String(input.query.staffId)}`);
        return page([appointment('A1', 'C1'), appointment('A2', 'C2'), appointment('A3', 'C1')]);
      },
    } as Record<string, Operation>,
    { get: (target, name: string) => target[name] ?? (async () => ({ status: 200 })) },
  );
  // The schema the function serves, each route's operation replaced by the fake above.
  const schema = servedSchemaOf(SERVED_SDL, SERVED_FIELDS, {
    routeOf: async (_fn, operationId) => ({
      route: ROUTES.find((route) => route.operationId === operationId) as RouteDefinition,
      operation: operations[operationId] as Operation,
    }),
    staffSummaries: async (_context, ids) => {
      calls.push(`staff ${[...ids].join(',')}`);
      return new Map(ids.map((id) => [id, { id, name: `Staff ${id.slice(-1)}` }] as const)) as never;
    },
  });
  const auth = {
    userId: 'recruiter-1',
    roles: ['recruiter' as const],
    tokenUse: 'id' as const,
    email: 'r@x',
  };
  const request: GraphqlContext = {
    auth: auth as GraphqlContext['auth'],
    context: { actor: auth, now: new Date('2031-01-01T00:00:00Z'), requestId: 'req-1' },
    requestId: 'req-1',
    event: httpEvent({ routeKey: 'POST /graphql', claims: claimsFor(['recruiter']) }),
    lambdaContext: lambdaContext(),
  };
  return { calls, ask: (query: string) => runGraphql(schema, { query }, request, { introspection: false }) };
};

describe('the single contract request', () => {
  it('reads staff in one batch and credentials and appointments once per staff member', async () => {
    // Prepare
    const { calls, ask } = setUp();

    // Act
    const result = await ask(`{ contracts { items {
      id staff { name } requiredCredentials { type held credential { id } } nextAppointments(limit: 1) { id }
    } } }`);

    // Assess
    expect(result.status).toBe(200);
    const body = result.body as { data: { contracts: { items: unknown[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.contracts.items[0]).toEqual({
      id: 'C1',
      staff: { name: 'Staff A' },
      requiredCredentials: [
        { type: 'BLS', held: false, credential: { id: 'BLS-pending' } },
        { type: 'RN', held: true, credential: { id: 'RN-active' } },
      ],
      nextAppointments: [{ id: 'A1' }],
    });
    expect(calls.sort()).toEqual([
      `appointments ${STAFF_A}`,
      `appointments ${STAFF_B}`,
      `credentials ${STAFF_A}`,
      `credentials ${STAFF_B}`,
      'listContracts',
      `staff ${STAFF_A},${STAFF_B}`,
    ]);
  });

  it('refuses a nextAppointments limit over 20 as a 400 error', async () => {
    const { ask } = setUp();

    const result = await ask('{ contracts { items { nextAppointments(limit: 21) { id } } } }');

    const body = result.body as { errors: { extensions: { status: number } }[] };
    expect(body.errors[0]?.extensions.status).toBe(400);
  });
});

describe('an answer that breaks the schema', () => {
  it('is our fault: 500, with no internals, and logged', async () => {
    const { ask } = setUp();
    const logs = captureLogs();

    const result = await ask(`{ contract(id: "${STAFF_A}") { id } }`);
    const logged = logs.text();
    logs.restore();

    const body = result.body as { errors: { message: string; extensions: { status: number } }[] };
    expect(body.errors[0]?.extensions.status).toBe(500);
    expect(body.errors[0]?.message).not.toMatch(/non-nullable/);
    expect(logged).toMatch(/GraphQL resolver failed/);
  });
});
