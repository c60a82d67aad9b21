/**
 * Self time per function, per module and per area of a V8 CPU profile (the .cpuprofile format
 * that `--cpu-prof` and the inspector's Profiler.stop produce), optionally counted only over a
 * window of the process's monotonic clock (the profile's timestamps and `process.hrtime` share
 * it), so a workload's profile can leave out the twin's start and seeding.
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
  /** Modules grouped by what they are: AWS SDK, Node HTTP and sockets, the twin's gateway, jose, GC, Shiftline code… */
  areas: [string, number][];
  /** Time under each of the project's own functions (callees included), once per sample. */
  inclusive: [string, number][];
  /** The area each entry of `functions` belongs to. */
  areaOfFunction: Record<string, string>;
}

/** A window of the profile's clock, in microseconds: [fromMicros, toMicros). */
export interface ProfileWindow {
  fromMicros: number;
  toMicros: number;
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

const AREAS: Array<[RegExp, string]> = [
  [/^(\(garbage collector\))/, 'GC'],
  [/^\((idle|program|root)\)/, 'V8 $1'],
  [/^@(aws-sdk|smithy|aws-crypto)\//, 'AWS SDK'],
  [
    /^node:(_http|http|https|net|stream|internal\/(http|streams|net|stream_base|js_stream))/,
    'Node HTTP, sockets, streams',
  ],
  [/^node:(internal\/)?crypto/, 'Node crypto (SigV4 and JWT hashing)'],
  [/^node:/, 'Node, other'],
  [/^jose$/, 'jose (JWT)'],
  [/^local\//, 'twin (gateway, stream poller)'],
  [/^(shared|functions)\//, 'Shiftline code (shared/, functions/)'],
  [/^@middy\//, 'middy'],
  [/^(ws|autocannon|undici)$/, '$1'],
];

/** The area a module belongs to; a package not listed is its own area. */
export const areaOf = (module: string): string => {
  const base = module.replace(/ \(builtins\)$/, '');
  for (const [pattern, area] of AREAS) {
    const match = pattern.exec(base);
    if (match) return area.replace('$1', match[1] ?? '');
  }
  return base;
};

const descending = (totals: Map<string, number>) => [...totals].sort((a, b) => b[1] - a[1]);

const add = (totals: Map<string, number>, key: string, ms: number) =>
  totals.set(key, (totals.get(key) ?? 0) + ms);

const isSpecial = (name: string) => name.startsWith('(') && name !== '(anonymous)';

export const selfTimes = (profile: CpuProfile, root: string, window?: ProfileWindow): ProfileSummary => {
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
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areaOfFunction: Record<string, string> = {};
  let totalMs = 0;
  let idleMs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    if (window && (at < window.fromMicros || at >= window.toMicros)) return;
    // A sample's time is the delta to the next sample (the last one's is unknown: skipped).
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    totalMs += ms;
    const { functionName, url } = node.callFrame;
    if (functionName === '(idle)') idleMs += ms;
    if (isSpecial(functionName)) {
      add(modules, functionName, ms);
      add(areas, areaOf(functionName), ms);
      add(functions, functionName, ms);
      areaOfFunction[functionName] = areaOf(functionName);
      return;
    }
    const caller = url ? undefined : callerOf(node);
    const module = url
      ? moduleOf(url, root)
      : `${caller ? moduleOf(caller.callFrame.url, root) : '?'} (builtins)`;
    add(modules, module, ms);
    add(areas, areaOf(module), ms);
    const name = url ? nameOf(node) : `${functionName || '(native)'} <- ${caller ? nameOf(caller) : '?'}`;
    add(functions, name, ms);
    areaOfFunction[name] = areaOf(module);
    const seen = new Set<string>();
    for (let frameId: number | undefined = node.id; frameId !== undefined; frameId = parentOf.get(frameId)) {
      const frame = byId.get(frameId);
      if (!frame || !/^(local|shared|functions)\//.test(moduleOf(frame.callFrame.url, root))) continue;
      const frameName = nameOf(frame);
      if (!seen.has(frameName)) add(inclusive, frameName, ms);
      seen.add(frameName);
    }
  });
  return {
    totalMs,
    busyMs: totalMs - idleMs,
    functions: descending(functions),
    modules: descending(modules),
    areas: descending(areas),
    inclusive: descending(inclusive),
    areaOfFunction,
  };
};

/** The entries as aligned lines: share of the busy time, milliseconds, name. */
export const formatTop = (entries: readonly [string, number][], busyMs: number): string =>
  entries
    .map(
      ([name, ms]) =>
        `${((ms / Math.max(busyMs, 1)) * 100).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${name}`,
    )
    .join('\n');

/** A profile's summary as printed by the profiling scripts. */
export const printSummary = (summary: ProfileSummary, top = 30) => {
  const busy = ((summary.busyMs / Math.max(summary.totalMs, 1)) * 100).toFixed(0);
  console.log(`${summary.totalMs.toFixed(0)} ms sampled, ${busy} % busy (shares below: of the busy time)`);
  console.log(
    `\nby area:\n${formatTop(summary.areas.filter(([area]) => area !== 'V8 idle').slice(0, top), summary.busyMs)}`,
  );
  console.log(`\nby module:\n${formatTop(summary.modules.slice(0, top), summary.busyMs)}`);
  console.log(`\nby function (self time):\n${formatTop(summary.functions.slice(0, top), summary.busyMs)}`);
  console.log(
    `\nthe project's functions, time under each (callees included):\n${formatTop(summary.inclusive.slice(0, top), summary.busyMs)}`,
  );
};

/**
 * Busy time by the nearest frame (from the sampled one toward the root) that `classify` names:
 * work done on something's behalf — Node's loader compiling a module a package required, say —
 * counts as that something's. Samples with no such frame count as `rest`; idle is left out.
 */
export const timeByNearestFrame = (
  profile: CpuProfile,
  classify: (url: string) => string | undefined,
  rest: string,
): Map<string, number> => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const classOf = new Map<number, string>();
  const classify_ = (id: number): string => {
    const known = classOf.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const own = node?.callFrame.url ? classify(node.callFrame.url) : undefined;
    const parent = parentOf.get(id);
    const found = own ?? (parent === undefined ? rest : classify_(parent));
    classOf.set(id, found);
    return found;
  };
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    add(totals, classify_(id), (profile.timeDeltas[index + 1] ?? 0) / 1000);
  });
  return totals;
};
