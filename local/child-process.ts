import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { canSeeListeners, listenerPids, processGroupOf } from './port-holders.ts';

export interface ChildOptions {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The child's stdout/stderr go here (a log file under .data/). */
  logFile: string;
  /** Resolves true once the child serves; polled until `timeoutMs`. */
  isReady: () => Promise<boolean>;
  /**
   * The port the child listens on: ready also means the listener is this child (something else
   * answering there — a stale child of an earlier run — is not this child being ready).
   */
  port?: number;
  timeoutMs?: number;
}

export interface RunningChild {
  name: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const GUARD = join(import.meta.dirname, 'child-guard.ts');

/** Whether the listener on `port` belongs to the process group `group` (true where /proc is not readable). */
const listensIn = (port: number | undefined, group: number | undefined) =>
  port === undefined || group === undefined || !canSeeListeners()
    ? true
    : listenerPids(port).some((pid) => processGroupOf(pid) === group);

/**
 * Starts a child in its own process group under local/child-guard.ts, so stopping it also stops
 * what it spawned (java under a wrapper, for one), and a twin that dies without stopping it
 * (`kill -9`) takes it along.
 */
export const startChild = async (options: ChildOptions): Promise<RunningChild> => {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [GUARD, options.command, ...options.args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });

  const stop = async () => {
    if (exited || child.pid === undefined) return;
    killGroup(child.pid, 'SIGTERM');
    const stopped = await Promise.race([exit.then(() => true), sleep(5_000).then(() => false)]);
    if (!stopped) killGroup(child.pid, 'SIGKILL');
    await exit;
    log.end();
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const ready = async () =>
    !exited && (await options.isReady().catch(() => false)) && listensIn(options.port, child.pid);
  while (!(await ready())) {
    if (exited) throw new Error(`${options.name} exited before it was ready; see ${options.logFile}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} was not ready in time; see ${options.logFile}`);
    }
    await sleep(200);
  }
  return { name: options.name, process: child, stop };
};

const killGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone: nothing to stop.
  }
};

/** True when something answers HTTP on the URL (any status). */
export const answersHttp = async (url: string): Promise<boolean> => {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
};
