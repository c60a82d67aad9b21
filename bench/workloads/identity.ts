import { DEMO_PASSWORD } from '../../scripts/seed.ts';
import type { BenchWorkload } from '../workloads.ts';

export const IDENTITY_WORKLOADS: readonly BenchWorkload[] = [
  {
    name: 'GET /health (public: gateway + middleware)',
    prepare: async () => ({ method: 'GET', path: '/health' }),
  },
  {
    name: 'GET /me (JWT verified, claims only)',
    prepare: async ({ sessions }) => ({ method: 'GET', path: '/me', token: sessions.admin.idToken }),
  },
  {
    name: 'POST /auth/login (cognito-local + throttle check)',
    restsOn: 'GetItem + DeleteItem',
    prepare: async () => ({
      method: 'POST',
      path: '/auth/login',
      body: { email: 'recruiter@shiftline.test', password: DEMO_PASSWORD },
    }),
  },
];
