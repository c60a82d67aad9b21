/**
 * HTTP workloads against a twin started exactly as `npm start` starts it (in-memory DynamoDB,
 * free ports), warmed first by a pass over every workload (bench/warm-up.ts): then autocannon,
 * 2 s warm-up, then 10 s at 10 and at 50 connections, as FACTS.md's peer figures were measured.
 * Every request runs the real path: gateway, JWT verification, middleware, service, DynamoDB
 * Local / cognito-local.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { ROLES, type Role } from '#domain/roles.ts';
import { demoLogin, readDemoUsers } from '../scripts/demo-users.ts';
import { ROOT, startTwinProcess } from '../test/support/twin-process.ts';
import { runLoad } from './load.ts';
import { settle } from './process-cpu.ts';
import { benchSeconds } from './scale.ts';
import { warmUp } from './warm-up.ts';
import {
  type BenchContext,
  type BenchRequest,
  type BenchSession,
  type BenchWorkload,
  WORKLOADS,
} from './workloads.ts';

export interface HttpFigure {
  workload: string;
  restsOn?: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** Logs every demo user in through `<data dir>/demo-users.json` (TOTP codes for admin and credentialing). */
export const benchContext = async (api: string, dataDir: string): Promise<BenchContext> => {
  const call: BenchContext['call'] = async (method, path, token, body) => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const sessions = {} as Record<Role, BenchSession>;
  const logins = readDemoUsers(dataDir);
  for (const role of ROLES) {
    const user = logins.find((candidate) => candidate.role === role);
    if (user === undefined) throw new Error(`no demo ${role} in ${dataDir}/demo-users.json`);
    const body = (await demoLogin((path, payload) => call('POST', path, undefined, payload), user)) as {
      idToken: string;
      user: { id: string };
    };
    sessions[role] = { idToken: body.idToken, userId: body.user.id };
  }
  return { api, sessions, call };
};

export const autocannonOptions = (api: string, request: BenchRequest): autocannon.Options => {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let sequence = 0;
  const vary = request.vary;
  return {
    url: `${api}${request.path}`,
    method: request.method,
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    ...(request.overallRate === undefined ? {} : { overallRate: request.overallRate }),
    ...(vary
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                body: JSON.stringify(vary(request.body, sequence++)),
              }),
            },
          ],
        }
      : {}),
  };
};

export const measureHttp = async (): Promise<HttpFigure[]> => {
  const dataDir = join(ROOT, '.data', 'bench', `twin-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const twin = await startTwinProcess({
    dataDir,
    inMemory: true,
    logFile: join(dataDir, 'twin.log'),
    // Throughput is the measure: the route throttles (50 logins/s in AWS) would cap it.
    env: { SHIFTLINE_ROUTE_THROTTLES: 'off' },
  });
  try {
    const context = await benchContext(twin.info.urls.api, dataDir);
    const prepared: Array<{ workload: BenchWorkload; options: autocannon.Options }> = [];
    for (const workload of WORKLOADS) {
      prepared.push({ workload, options: autocannonOptions(context.api, await workload.prepare(context)) });
    }
    await warmUp(prepared.map(({ options }) => options));
    const figures: HttpFigure[] = [];
    for (const { workload, options } of prepared) {
      for (const connections of [10, 50]) {
        // The writes of the workload before (their stream consumers) are not this one's cost.
        if (twin.child.pid !== undefined) await settle(twin.child.pid);
        await runLoad({ ...options, connections, duration: benchSeconds(2) });
        const result = await runLoad({ ...options, connections, duration: benchSeconds(10) });
        figures.push({
          workload: workload.name,
          restsOn: workload.restsOn,
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
