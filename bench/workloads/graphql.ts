/**
 * The single contract request (GraphQL `contract(id)`: terms, acknowledgement, staff member,
 * required credentials, next shifts) beside the five REST calls a frontend makes for the same
 * screen. The bench's ledger reports each one's DynamoDB calls; the figures go beside each other.
 */
import type { BenchContext, BenchRequest, BenchWorkload } from '../workloads.ts';

interface Prepared {
  contractId: string;
  staffId: string;
  version: number;
}

const CONTRACT_QUERY = `query ($id: String!) { contract(id: $id) {
  id title terms contentHash currentVersion status acknowledgement { by at version contentHash }
  staff { id name email specialty }
  requiredCredentials { type held credential { id status expiryDate } }
  nextAppointments(limit: 5) { id startAt endAt status location }
} }`;

// Per context, i.e. per twin: the load runs and the capacity count use different twins, and a
// contract made in one is not found in the other (a 404 after one GetItem would count 1 call).
const preparations = new WeakMap<BenchContext, Promise<Prepared>>();

/** One contract of the demo staff member with an appointment under it, made once per twin. */
const prepareContract = (context: BenchContext): Promise<Prepared> => {
  const known = preparations.get(context);
  if (known !== undefined) return known;
  const prepared = (async () => {
    const { call, sessions } = context;
    const me = await call('GET', '/me', sessions.staff.idToken);
    const staffId = (me.body as { staffProfileId?: string | null }).staffProfileId;
    if (!staffId) throw new Error('the bench needs the seeded staff profile');
    const drafted = await call('POST', '/contracts', sessions.recruiter.idToken, {
      staffId,
      title: 'Bench single request',
      terms: '# Bench\n\nThree 12-hour shifts a week.',
      startDate: '2030-01-07',
      endDate: '2030-04-05',
      requiredCredentialTypes: ['RN', 'BLS'],
    });
    if (drafted.status !== 201) throw new Error(`preparing the contract: ${drafted.status}`);
    const contract = drafted.body as { id: string; currentVersion: number };
    const day = new Date(Date.UTC(2034, 0, 1) + Math.floor(Math.random() * 3000) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const booked = await call('POST', '/appointments', sessions.recruiter.idToken, {
      staffId,
      contractId: contract.id,
      startAt: `${day}T07:00:00.000Z`,
      endAt: `${day}T19:00:00.000Z`,
    });
    if (booked.status !== 201) throw new Error(`preparing the appointment: ${booked.status}`);
    return { contractId: contract.id, staffId, version: contract.currentVersion };
  })();
  preparations.set(context, prepared);
  return prepared;
};

const rest =
  (path: (prepared: Prepared) => string) =>
  async (context: BenchContext): Promise<BenchRequest> => ({
    method: 'GET',
    path: path(await prepareContract(context)),
    token: context.sessions.staff.idToken,
  });

export const GRAPHQL_WORKLOADS: readonly BenchWorkload[] = [
  {
    name: 'GraphQL contract(id): the single contract request',
    restsOn: 'GetItem + BatchGetItem + 2 × (GetItem + Query)',
    prepare: async (context) => ({
      method: 'POST',
      path: '/graphql',
      token: context.sessions.staff.idToken,
      body: { query: CONTRACT_QUERY, variables: { id: (await prepareContract(context)).contractId } },
    }),
  },
  {
    name: 'REST 1/5: GET /contracts/{id}',
    restsOn: 'GetItem',
    prepare: rest((p) => `/contracts/${p.contractId}`),
  },
  {
    name: 'REST 2/5: GET /contracts/{id}/versions/{n}',
    restsOn: 'GetItem × 2',
    prepare: rest((p) => `/contracts/${p.contractId}/versions/${p.version}`),
  },
  { name: 'REST 3/5: GET /staff/{id}', restsOn: 'GetItem', prepare: rest((p) => `/staff/${p.staffId}`) },
  {
    name: 'REST 4/5: GET /staff/{id}/credentials',
    restsOn: 'GetItem + Query',
    prepare: rest((p) => `/staff/${p.staffId}/credentials?limit=100`),
  },
  {
    name: 'REST 5/5: GET /appointments?staffId=&from=',
    restsOn: 'GetItem + Query',
    prepare: rest((p) => `/appointments?staffId=${p.staffId}&from=2030-01-01T00:00:00.000Z&limit=100`),
  },
];
