/**
 * Brings one twin up for the whole e2e run (in-memory DynamoDB, free ports, a throwaway data
 * dir under .data/) exactly as `npm start` does, and tears it down afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { TwinInfo } from './support/twin.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const READY_TIMEOUT_MS = 150_000;

export default async function setup(project: TestProject) {
  const dataDir = join(ROOT, '.data', `e2e-${process.pid}-${Date.now()}`);
  mkdirSync(dataDir, { recursive: true });
  const log = createWriteStream(join(ROOT, '.data', 'e2e-twin.log'));
  const child = spawn(process.execPath, [join(ROOT, 'local', 'start.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      SHIFTLINE_DATA_DIR: dataDir,
      SHIFTLINE_IN_MEMORY: '1',
      SHIFTLINE_FREE_PORTS: '1',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.pipe(log);
  const info = await waitForReady(child, log);
  project.provide('twin', info);

  return async () => {
    await stopChild(child);
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

const waitForReady = (child: ChildProcess, log: NodeJS.WritableStream) =>
  new Promise<TwinInfo>((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the twin did not start in time; see .data/e2e-twin.log')),
      READY_TIMEOUT_MS,
    );
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n').find((candidate) => candidate.startsWith('TWIN_READY '));
      if (line) {
        clearTimeout(timer);
        resolvePromise(JSON.parse(line.slice('TWIN_READY '.length)) as TwinInfo);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the twin exited (${code}) before it was ready; see .data/e2e-twin.log`));
    });
  });

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolvePromise) => {
    if (child.exitCode !== null) return resolvePromise();
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
