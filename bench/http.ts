/**
 * HTTP workloads against a twin started exactly as `npm start` starts it (in-memory DynamoDB,
 * free ports): autocannon, 2 s warm-up, then 10 s at 10 and at 50 connections, as FACTS.md's
 * peer figures were measured. Every request runs the real path: gateway, JWT verification,
 * middleware, service, DynamoDB Local / cognito-local.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DEMO_PASSWORD } from '../scripts/seed.ts';
import { ROOT, startTwinProcess, type TwinInfo } from '../test/support/twin-process.ts';

export interface HttpFigure {
  workload: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

interface Workload {
  name: string;
  request: (info: TwinInfo, token: string) => autocannon.Options;
}

const WORKLOADS: Workload[] = [
  {
    name: 'GET /health (public: gateway + middleware)',
    request: (info) => ({ url: `${info.urls.api}/health` }),
  },
  {
    name: 'GET /me (JWT verified, claims only)',
    request: (info, token) => ({ url: `${info.urls.api}/me`, headers: { authorization: `Bearer ${token}` } }),
  },
  {
    name: 'POST /auth/login (cognito-local + throttle check)',
    request: (info) => ({
      url: `${info.urls.api}/auth/login`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'recruiter@shiftline.test', password: DEMO_PASSWORD }),
    }),
  },
];

const run = (options: autocannon.Options) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });

export const measureHttp = async (): Promise<HttpFigure[]> => {
  const dataDir = join(ROOT, '.data', 'bench', `twin-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const twin = await startTwinProcess({ dataDir, inMemory: true, logFile: join(dataDir, 'twin.log') });
  try {
    const login = await fetch(`${twin.info.urls.api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@shiftline.test', password: DEMO_PASSWORD }),
    });
    const { idToken } = (await login.json()) as { idToken: string };
    const figures: HttpFigure[] = [];
    for (const workload of WORKLOADS) {
      for (const connections of [10, 50]) {
        const base = workload.request(twin.info, idToken);
        await run({ ...base, connections, duration: 2 });
        const result = await run({ ...base, connections, duration: 10 });
        figures.push({
          workload: workload.name,
          connections,
          requestsPerSecond: result.requests.average,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
        });
        console.error(`${workload.name} @${connections}: ${result.requests.average} req/s`);
      }
    }
    return figures;
  } finally {
    await twin.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};
