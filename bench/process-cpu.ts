/**
 * CPU time of the twin's processes, from /proc: robust where req/s is not on a shared machine.
 * The twin's Node process and its children (DynamoDB Local's JVM, cognito-local), by what they are.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const TWIN_NODE = 'twin (Node: gateways, handlers, stream consumers)';
export const DYNAMODB_LOCAL = 'DynamoDB Local (JVM)';

/** User + system CPU ticks (1/100 s) of a process and its descendants, by what they are. */
export const cpuTicksOfTree = (root: number): Map<string, number> => {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // utime and stime: fields 14 and 15 of stat (11 and 12 after the command name).
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        const ticks = Number(fields[11]) + Number(fields[12]);
        return [{ pid: Number(pid), ppid: Number(fields[1]), ticks, cmdline }];
      } catch {
        return [];
      }
    });
  const tree = new Set([root]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const stat of stats)
      if (!tree.has(stat.pid) && tree.has(stat.ppid)) grown = tree.add(stat.pid) !== undefined;
  }
  const byRole = new Map<string, number>();
  for (const stat of stats.filter((candidate) => tree.has(candidate.pid))) {
    const role =
      stat.pid === root
        ? TWIN_NODE
        : /java/.test(stat.cmdline)
          ? DYNAMODB_LOCAL
          : /cognito/.test(stat.cmdline)
            ? 'cognito-local'
            : 'other children';
    byRole.set(role, (byRole.get(role) ?? 0) + stat.ticks);
  }
  return byRole;
};

export interface ProcessCpu {
  role: string;
  /** CPU seconds used between the two readings. */
  seconds: number;
  /** Share of one core over the wall time. */
  coreShare: number;
  msPerRequest: number;
}

/** CPU used per process between two readings, over `wallMs` and `requests`. */
export const cpuUsed = (
  before: Map<string, number>,
  after: Map<string, number>,
  wallMs: number,
  requests: number,
): ProcessCpu[] =>
  [...after.entries()].map(([role, ticks]) => {
    const seconds = (ticks - (before.get(role) ?? 0)) / 100;
    return {
      role,
      seconds,
      coreShare: (seconds * 1000) / Math.max(wallMs, 1),
      msPerRequest: (seconds * 1000) / Math.max(requests, 1),
    };
  });

export const formatCpu = (used: readonly ProcessCpu[], unit = 'request') =>
  used
    .map(
      (process) =>
        `  ${process.role}: ${process.seconds.toFixed(2)} s CPU (${(process.coreShare * 100).toFixed(0)} % of one core), ${process.msPerRequest.toFixed(2)} ms per ${unit}`,
    )
    .join('\n');

const ticksOf = (root: number) => [...cpuTicksOfTree(root).values()].reduce((sum, ticks) => sum + ticks, 0);

/**
 * Waits until the twin's processes are idle (under a tenth of a core over half a second), at most
 * `limitMs`: a workload then starts without the stream consumers still working off the writes of
 * the one before it, which would count their catch-up against this one.
 */
export const settle = async (root: number, limitMs = 120_000): Promise<number> => {
  const startedAt = performance.now();
  const windowMs = 500;
  for (;;) {
    const before = ticksOf(root);
    await new Promise((done) => setTimeout(done, windowMs));
    const busyShare = (ticksOf(root) - before) / (windowMs / 10);
    const waited = performance.now() - startedAt;
    if (busyShare < 0.1 || waited > limitMs) return waited;
  }
};
