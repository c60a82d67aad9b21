/**
 * `npm start` as a user runs it: Ctrl-C (SIGTERM to the supervisor) stops every part, and a
 * second start reuses the data of the first.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../scripts/seed.ts';
import { ROOT, startTwinProcess, type TwinInfo } from '../support/twin-process.ts';

const dataDir = join(ROOT, '.data', 'test', `restart-${process.pid}`);
const logFile = join(dataDir, 'start.log');
mkdirSync(dataDir, { recursive: true });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const post = (info: TwinInfo, path: string, body: unknown) =>
  fetch(`${info.urls.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
    () => true,
    () => false,
  );

describe('npm start', () => {
  it('stops every part on SIGTERM and keeps users and data for the next start', {
    timeout: 240_000,
  }, async () => {
    const first = await startTwinProcess({ dataDir, inMemory: false, logFile });
    const email = `restart-${Date.now()}@e2e.shiftline.test`;
    const password = 'Restart-Pass-42!';
    expect((await post(first.info, '/auth/signup', { email, password, name: 'Remy Restart' })).status).toBe(
      202,
    );
    expect(
      (await post(first.info, '/auth/confirm', { email, code: first.info.confirmationCode })).status,
    ).toBe(204);

    expect(await first.stop()).toBe(0);
    for (const url of Object.values(first.info.urls).filter((url) => url.startsWith('http'))) {
      expect(await answers(url), `${url} still answers after stop`).toBe(false);
    }

    const second = await startTwinProcess({ dataDir, inMemory: false, logFile });
    try {
      const login = await post(second.info, '/auth/login', { email, password });
      expect(login.status).toBe(200);
      const demo = await post(second.info, '/auth/login', {
        email: 'admin@shiftline.test',
        password: DEMO_PASSWORD,
      });
      expect(demo.status).toBe(200);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
