import type { BenchContext, BenchWorkload } from '../workloads.ts';

const LISTED = 20;

/** The demo staff member's profile id (their contracts are drafted for it); made if the seed made none. */
const demoStaffId = async ({ call, sessions }: BenchContext): Promise<string> => {
  const me = await call('GET', '/me', sessions.staff.idToken);
  const staffId = (me.body as { staffProfileId?: string | null }).staffProfileId;
  if (staffId) return staffId;
  const profile = { userId: sessions.staff.userId, name: 'Sam Staff' };
  const created = await call('POST', '/staff', sessions.recruiter.idToken, profile);
  if (created.status !== 201) throw new Error(`preparing the demo staff profile: ${created.status}`);
  return (created.body as { id: string }).id;
};

const contractBody = (staffId: string, title: string) => ({
  staffId,
  title,
  terms: '# Bench contract\n\nThree 12-hour shifts a week.',
  startDate: '2030-01-07',
  endDate: '2030-04-05',
  rate: { amountCents: 6500, currency: 'USD', per: 'hour' },
  requiredCredentialTypes: ['RN'],
});

export const CONTRACT_WORKLOADS: readonly BenchWorkload[] = [
  {
    name: 'staff lists own 20 contracts',
    restsOn: 'Query, 20 items',
    prepare: async (context) => {
      const staffId = await demoStaffId(context);
      const { call, sessions } = context;
      const own = await call('GET', `/contracts?limit=${LISTED}`, sessions.staff.idToken);
      const have = (own.body as { items: unknown[] }).items.length;
      for (let index = have; index < LISTED; index += 1) {
        const created = await call(
          'POST',
          '/contracts',
          sessions.recruiter.idToken,
          contractBody(staffId, `Bench ${index}`),
        );
        if (created.status !== 201) throw new Error(`preparing contracts: ${created.status}`);
      }
      return { method: 'GET', path: `/contracts?limit=${LISTED}`, token: sessions.staff.idToken };
    },
  },
  {
    name: 'POST /contracts (head + version 1, one transaction)',
    restsOn: 'TransactWrite, 2 items',
    prepare: async (context) => ({
      method: 'POST',
      path: '/contracts',
      token: context.sessions.recruiter.idToken,
      body: contractBody(await demoStaffId(context), 'Bench create'),
    }),
  },
];
