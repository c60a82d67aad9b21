/**
 * Who listens on a TCP port, read from Linux's /proc (no `ss` or `lsof` needed): the twin
 * refuses to start on a port something else holds, naming that process, and counts a child as
 * ready only when the listener is that child (a stale DynamoDB Local from an earlier run answers
 * HTTP just as well, with another folder's data).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const LISTEN = '0A';

/** The socket inodes listening on `port` (IPv4 and IPv6), from /proc/net/tcp{,6}. */
const listeningInodes = (port: number): Set<string> => {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [, local = '', , state, , , , , , inode] = fields;
      if (state === LISTEN && local.endsWith(`:${hexPort}`) && inode !== undefined) inodes.add(inode);
    }
  }
  return inodes;
};

const safely = <T>(read: () => T, fallback: T): T => {
  try {
    return read();
  } catch {
    return fallback;
  }
};

/** Whether this machine exposes listeners through /proc (Linux); elsewhere callers fall back. */
export const canSeeListeners = (): boolean =>
  safely(() => readFileSync('/proc/net/tcp', 'utf8').length > 0, false);

/** The processes holding a listening socket on `port` (those this user may inspect). */
export const listenerPids = (port: number): number[] => {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return [];
  const sockets = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const pids = safely(() => readdirSync('/proc').filter((name) => /^\d+$/.test(name)), []);
  return pids
    .filter((pid) =>
      safely(() => readdirSync(`/proc/${pid}/fd`), []).some((fd) =>
        sockets.has(safely(() => readlinkSync(`/proc/${pid}/fd/${fd}`), '')),
      ),
    )
    .map(Number);
};

/** The process group a process belongs to (field 5 of /proc/<pid>/stat), if it still runs. */
export const processGroupOf = (pid: number): number | undefined => {
  const stat = safely(() => readFileSync(`/proc/${pid}/stat`, 'utf8'), '');
  // The command name (field 2) is in parentheses and may hold spaces: read after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const group = Number(fields[2]);
  return Number.isInteger(group) && group > 0 ? group : undefined;
};

/** `pid 1234 (java -jar …/DynamoDBLocal.jar -port 8000)`, for messages a person acts on. */
export const describeProcess = (pid: number): string => {
  const command = safely(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8'), '')
    .split('\0')
    .filter(Boolean)
    .join(' ');
  const short = command.length > 120 ? `${command.slice(0, 117)}…` : command;
  return short ? `pid ${pid} (${short})` : `pid ${pid}`;
};
