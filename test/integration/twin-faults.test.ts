/**
 * The twin survives its own faults: a port held by another process is refused with that
 * process named (never served by a stale child with another folder's data), and a twin killed
 * with `kill -9` under load takes its children along, so the next start on the same data is
 * clean and has every write the killed twin acknowledged.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePortList } from '../../local/free-port.ts';
import { listenerPids } from '../../local/port-holders.ts';
import { DEMO_PASSWORD } from '../../scripts/seed.ts';
import { ROOT, startTwinProcess, type TwinInfo } from '../support/twin-process.ts';

const dataDir = join(ROOT, '.data', 'test', `faults-${process.pid}`);
const logFile = join(dataDir, 'start.log');
mkdirSync(dataDir, { recursive: true });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const call = async (
  info: TwinInfo,
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
) => {
  const response = await fetch(`${info.urls.api}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => ({}))) as Record<string, unknown>,
  };
};

const staffSession = async (info: TwinInfo) => {
  const login = await call(info, '/auth/login', {
    method: 'POST',
    body: { email: 'staff@shiftline.test', password: DEMO_PASSWORD },
  });
  const token = String(login.body.idToken);
  const me = await call(info, '/me', { token });
  return { token, staffId: String(me.body.staffProfileId) };
};

const portOf = (url: string) => Number(new URL(url).port);

describe('the twin and its faults', () => {
  it('refuses a port another process holds, naming that process', { timeout: 60_000 }, async () => {
    // Prepare
    const [api = 0, ws = 0, scheduler = 0, dynamodb = 0, cognito = 0, s3 = 0, lambda = 0] =
      await freePortList(7);
    const squatter = createServer();
    await new Promise<void>((done) => squatter.listen(dynamodb, done));
    // Act
    const child = spawn(process.execPath, [resolve(ROOT, 'local', 'start.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        SHIFTLINE_DATA_DIR: join(dataDir, 'squatted'),
        SHIFTLINE_IN_MEMORY: '1',
        SHIFTLINE_FREE_PORTS: '0',
        SHIFTLINE_API_PORT: String(api),
        SHIFTLINE_WS_PORT: String(ws),
        SHIFTLINE_SCHEDULER_PORT: String(scheduler),
        SHIFTLINE_DYNAMODB_PORT: String(dynamodb),
        SHIFTLINE_COGNITO_PORT: String(cognito),
        SHIFTLINE_S3_PORT: String(s3),
        SHIFTLINE_LAMBDA_PORT: String(lambda),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    squatter.close();
    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain(`port ${dynamodb} (dynamodb) is held by pid ${process.pid}`);
    expect(stderr).not.toContain('    at ');
  });

  it('takes its children along when killed under load; the next start is clean and loses nothing', {
    timeout: 300_000,
  }, async () => {
    // Prepare
    const first = await startTwinProcess({ dataDir, inMemory: false, logFile });
    const childPorts = [portOf(first.info.urls.dynamodb), portOf(first.info.urls.cognito)];
    const { token, staffId } = await staffSession(first.info);
    const acknowledged: string[] = [];
    let load = true;
    const writer = async () => {
      while (load) {
        const created = await call(first.info, `/staff/${staffId}/credentials`, {
          method: 'POST',
          token,
          body: { type: 'BLS' },
        }).catch(() => undefined);
        if (created?.status === 201) acknowledged.push(String(created.body.id));
      }
    };
    const writers = Array.from({ length: 4 }, writer);
    await expect.poll(() => acknowledged.length, { timeout: 30_000 }).toBeGreaterThan(20);
    // Act
    first.child.kill('SIGKILL');
    load = false;
    await Promise.all(writers);
    // Assess: the children end with it (their listeners are gone) …
    await expect
      .poll(() => childPorts.flatMap((port) => listenerPids(port)), { timeout: 10_000, interval: 200 })
      .toEqual([]);
    // … and a new twin on the same data starts cleanly with every acknowledged write.
    const second = await startTwinProcess({ dataDir, inMemory: false, logFile });
    try {
      const again = await staffSession(second.info);
      for (const id of acknowledged) {
        expect((await call(second.info, `/credentials/${id}`, { token: again.token })).status, id).toBe(200);
      }
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
