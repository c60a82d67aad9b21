/**
 * Staff profile and credential routes: a profile read (GetItem), a staff member's credentials
 * (Query), the credentialing work queue (Query on the status index) and a credential create
 * (conditional Put), each on the path users hit.
 */
import type { BenchContext, BenchWorkload } from '../workloads.ts';

const LISTED = 20;

/** The demo staff member's profile (the seed makes it) and at least 20 credentials of theirs. */
const prepareStaff = async ({ call, sessions }: BenchContext) => {
  const me = await call('GET', '/me', sessions.staff.idToken);
  const staffId = (me.body as { staffProfileId?: string | null }).staffProfileId;
  if (!staffId) throw new Error('the demo staff member has no profile: run the seed');
  const held = await call('GET', `/staff/${staffId}/credentials?limit=${LISTED}`, sessions.staff.idToken);
  for (let index = (held.body as { items: unknown[] }).items.length; index < LISTED; index += 1) {
    const created = await call('POST', `/staff/${staffId}/credentials`, sessions.staff.idToken, {
      type: `BENCH${index}`,
      expiryDate: '2035-06-30',
    });
    if (created.status !== 201) throw new Error(`preparing credentials: ${created.status}`);
  }
  return staffId;
};

export const STAFF_CREDENTIAL_WORKLOADS: readonly BenchWorkload[] = [
  {
    name: 'GET /staff/{id} (recruiter reads a profile)',
    restsOn: 'GetItem',
    prepare: async (context) => ({
      method: 'GET',
      path: `/staff/${await prepareStaff(context)}`,
      token: context.sessions.recruiter.idToken,
    }),
  },
  {
    name: 'staff lists own 20 credentials',
    restsOn: 'Query, 20 items',
    prepare: async (context) => ({
      method: 'GET',
      path: `/staff/${await prepareStaff(context)}/credentials?limit=${LISTED}`,
      token: context.sessions.staff.idToken,
    }),
  },
  {
    name: 'GET /credentials?status=pending (work queue)',
    restsOn: 'Query, 20 items',
    prepare: async (context) => {
      await prepareStaff(context);
      return {
        method: 'GET',
        path: '/credentials?status=pending&limit=20',
        token: context.sessions.credentialing.idToken,
      };
    },
  },
  {
    name: 'POST /staff/{id}/credentials (create pending)',
    restsOn: 'conditional PutItem',
    prepare: async (context) => ({
      method: 'POST',
      path: `/staff/${await prepareStaff(context)}/credentials`,
      token: context.sessions.staff.idToken,
      body: { type: 'BLS', number: 'B-0', expiryDate: '2036-01-31' },
      vary: (body, sequence) => ({ ...(body as object), number: `B-${sequence}` }),
    }),
  },
];
