/**
 * Runs one child of the twin and ends it when the twin ends, however the twin ends: the twin
 * starts this guard in a process group of its own with the real command after `--`; the guard
 * starts the command in the same group and, when its parent (the twin) is gone — `kill -9`
 * included, which no signal handler sees — kills the whole group. Without it a killed twin left
 * DynamoDB Local and the identity service running, holding their ports.
 *
 *   node local/child-guard.ts <command> [args…]
 */
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error('usage: child-guard.ts <command> [args…]');
  process.exit(2);
}

const twin = process.ppid;
const child = spawn(command, args, { stdio: 'inherit' });

const endGroup = (signal: NodeJS.Signals) => {
  try {
    process.kill(-process.pid, signal);
  } catch {
    // The group is already gone.
  }
};

// Orphaned processes are re-parented (to init or a subreaper): a new parent id means the twin died.
const watchdog = setInterval(() => {
  if (process.ppid !== twin) endGroup('SIGKILL');
}, 250);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    child.kill(signal);
  });
}

child.once('exit', (code, signal) => {
  clearInterval(watchdog);
  process.exit(code ?? (signal ? 1 : 0));
});
child.once('error', (error) => {
  console.error(`child-guard: ${command} failed to start: ${error.message}`);
  process.exit(1);
});
