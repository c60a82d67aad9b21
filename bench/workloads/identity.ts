import { HTTP_STAGE_THROTTLE } from '#shared/limits.ts';
import { DEMO_PASSWORD } from '../../scripts/seed.ts';
import type { BenchWorkload } from '../workloads.ts';

export const IDENTITY_WORKLOADS: readonly BenchWorkload[] = [
  {
    name: 'GET /health (public: gateway + middleware, at 90 % of the stage throttle)',
    // Unpaced, /health outruns the stage's 10,000 req/s throttle and a sixth of the answers are
    // the gateway's 429s, as they would be in AWS: the workload is paced under it instead.
    prepare: async () => ({
      method: 'GET',
      path: '/health',
      overallRate: Math.floor(HTTP_STAGE_THROTTLE.rateLimit * 0.9),
    }),
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
