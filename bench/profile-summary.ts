/**
 * Self time per function and per module of a V8 CPU profile (the .cpuprofile format that
 * `--cpu-prof` and the inspector's Profiler.stop produce).
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Everything but (idle). */
  busyMs: number;
  functions: [string, number][];
  modules: [string, number][];
  /** Time under each of the project's own functions (callees included), once per sample. */
  inclusive: [string, number][];
}

/** A module's name: a package (`jose`, `@smithy/…`), a project file, `node:…` or V8's own `(garbage collector)`. */
const moduleOf = (url: string, root: string): string => {
  if (!url) return '(native/V8)';
  if (url.startsWith('node:')) return url;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inPackage?.[1]) return inPackage[1];
  return path.startsWith('/') ? relative(root, path) : path;
};

const descending = (totals: Map<string, number>) => [...totals].sort((a, b) => b[1] - a[1]);

const add = (totals: Map<string, number>, key: string, ms: number) =>
  totals.set(key, (totals.get(key) ?? 0) + ms);

const isSpecial = (name: string) => name.startsWith('(') && name !== '(anonymous)';

export const selfTimes = (profile: CpuProfile, root: string): ProfileSummary => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const nameOf = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return `${functionName || '(anonymous)'} ${moduleOf(url, root)}:${lineNumber + 1}`;
  };
  /** A builtin without a script (writev, utf8Slice) is named with its nearest caller that has one. */
  const callerOf = (node: ProfileNode) => {
    for (let id = parentOf.get(node.id); id !== undefined; id = parentOf.get(id)) {
      const caller = byId.get(id);
      if (caller?.callFrame.url) return caller;
    }
    return undefined;
  };
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, index) => {
    // A sample's time is the delta to the next sample (the last one's is unknown: skipped).
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    totalMs += ms;
    const { functionName, url } = node.callFrame;
    if (functionName === '(idle)') idleMs += ms;
    if (isSpecial(functionName)) {
      add(modules, functionName, ms);
      add(functions, functionName, ms);
      return;
    }
    const caller = url ? undefined : callerOf(node);
    add(
      modules,
      url ? moduleOf(url, root) : `${caller ? moduleOf(caller.callFrame.url, root) : '?'} (builtins)`,
      ms,
    );
    add(functions, url ? nameOf(node) : `${functionName} <- ${caller ? nameOf(caller) : '?'}`, ms);
    const seen = new Set<string>();
    for (let at: number | undefined = node.id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at);
      if (!frame || !/^(local|shared|functions)\//.test(moduleOf(frame.callFrame.url, root))) continue;
      const name = nameOf(frame);
      if (!seen.has(name)) add(inclusive, name, ms);
      seen.add(name);
    }
  });
  return {
    totalMs,
    busyMs: totalMs - idleMs,
    functions: descending(functions),
    modules: descending(modules),
    inclusive: descending(inclusive),
  };
};
