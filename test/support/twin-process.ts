/**
 * Starts `npm start`'s entry (local/start.ts) as a child process, exactly as a user would,
 * waits for its TWIN_READY line, and stops it with SIGTERM (what Ctrl-C sends the group).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Twin } from '../../local/twin.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface TwinInfo {
  urls: Twin['urls'];
  confirmationCode: string;
  dataDir: string;
}

export interface TwinProcess {
  info: TwinInfo;
  child: ChildProcess;
  stop: () => Promise<number | null>;
}

interface TwinProcessOptions {
  dataDir: string;
  inMemory: boolean;
  logFile: string;
  timeoutMs?: number;
  /** More environment for the twin (the bench lifts the route throttles: SHIFTLINE_ROUTE_THROTTLES=off). */
  env?: Record<string, string>;
  /** Node options for the twin's process (the bench's profiler opens its inspector). */
  nodeArgs?: string[];
}

/**
 * Starts the twin as `npm start` does, on free ports. A free port can be taken by another test's
 * twin between the pick and the bind; the twin then refuses to start, naming the holder
 * (local/twin-ports.ts), and is started again on other ports (at most three times).
 */
export const startTwinProcess = async (options: TwinProcessOptions): Promise<TwinProcess> => {
  for (let attempt = 1; ; attempt++) {
    const refusals: string[] = [];
    try {
      return await startTwinOnce(options, refusals);
    } catch (error) {
      if (attempt >= 3 || !refusals.join('').includes(' is held by ')) throw error;
    }
  }
};

const startTwinOnce = async (options: TwinProcessOptions, stderrLines: string[]): Promise<TwinProcess> => {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), resolve(ROOT, 'local', 'start.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      SHIFTLINE_DATA_DIR: options.dataDir,
      SHIFTLINE_IN_MEMORY: options.inMemory ? '1' : '0',
      SHIFTLINE_FREE_PORTS: '1',
      // The tests' twin opts in to a fixed code (invitations' temporary passwords included); the
      // mail files are written all the same, and the recovery story reads its codes from them.
      SHIFTLINE_CONFIRMATION_CODE: process.env.SHIFTLINE_CONFIRMATION_CODE ?? '000000',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      // Every write to Main checked against the writing function's mainWrites (local/write-scopes.ts).
      SHIFTLINE_CHECK_WRITE_SCOPES: process.env.SHIFTLINE_CHECK_WRITE_SCOPES ?? '1',
      // Every e2e request comes from this machine's address: the per-source mail limit would
      // count the whole suite's sign-ups as one sender (the abuse story tests it per email).
      MAIL_PER_SOURCE_PER_HOUR: process.env.MAIL_PER_SOURCE_PER_HOUR ?? '100000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.pipe(log);
  child.stderr?.on('data', (chunk: Buffer) => stderrLines.push(chunk.toString('utf8')));
  const stop = () =>
    new Promise<number | null>((resolvePromise) => {
      if (child.exitCode !== null) return resolvePromise(child.exitCode);
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', (code) => {
        clearTimeout(force);
        log.end();
        resolvePromise(code);
      });
      child.kill('SIGTERM');
    });
  try {
    const info = await waitForReady(child, log, options.timeoutMs ?? 150_000);
    return { info, child, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

const waitForReady = (child: ChildProcess, log: NodeJS.WritableStream, timeoutMs: number) =>
  new Promise<TwinInfo>((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the twin did not start in time; see its log')),
      timeoutMs,
    );
    let buffer = '';
    let ready = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      // Once ready, the twin's output (an access-log line per request) only goes to the log.
      if (ready) return;
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n').find((candidate) => candidate.startsWith('TWIN_READY '));
      if (line) {
        ready = true;
        buffer = '';
        clearTimeout(timer);
        resolvePromise(JSON.parse(line.slice('TWIN_READY '.length)) as TwinInfo);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the twin exited (${code}) before it was ready; see its log`));
    });
  });
