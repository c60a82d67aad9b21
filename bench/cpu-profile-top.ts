/**
 * The top self-time entries of a V8 CPU profile (`node --cpu-prof`), counted only over a window
 * of the process's monotonic clock (the profile's timestamps and `process.hrtime` share it), so a
 * workload's profile leaves out the twin's start and seeding.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the window's busy time (idle left out). */
  share: number;
}

export interface ProfileTop {
  windowMs: number;
  busyMs: number;
  idleMs: number;
  functions: SelfTime[];
  areas: SelfTime[];
}

const ROOT = new URL('..', import.meta.url).pathname;

/** Where a function lives: a package, a node internal, or a folder of this repository. */
const areaOf = ({ functionName, url }: ProfileNode['callFrame']): string => {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1] ?? url;
  const path = decodeURIComponent(url.replace(/^file:\/\//, '')).replace(ROOT, '');
  return path
    .split('/')
    .slice(0, path.startsWith('shared/') ? 2 : 1)
    .join('/');
};

const nameOf = (frame: ProfileNode['callFrame']): string => {
  const file = frame.url
    .replace(/^file:\/\//, '')
    .replace(ROOT, '')
    .replace(/.*node_modules\//, '');
  return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
};

const ranked = (totals: Map<string, number>, busyMs: number, top: number): SelfTime[] =>
  [...totals.entries()]
    .sort(([, a], [, b]) => b - a)
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), share: busyMs > 0 ? ms / busyMs : 0 }));

/** Self time per function and per area within [fromMicros, toMicros) of the profile's clock. */
export const profileTop = (file: string, fromMicros: number, toMicros: number, top = 25): ProfileTop => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let at = profile.startTime;
  let idleMs = 0;
  let busyMs = 0;
  profile.samples.forEach((nodeId, index) => {
    at += profile.timeDeltas[index] ?? 0;
    // A sample stands for the time until the next one.
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const frame = frames.get(nodeId);
    if (at < fromMicros || at >= toMicros || frame === undefined) return;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    const name = nameOf(frame);
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const area = areaOf(frame);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
  });
  return {
    windowMs: Math.round((toMicros - fromMicros) / 1000),
    busyMs: Math.round(busyMs),
    idleMs: Math.round(idleMs),
    functions: ranked(byFunction, busyMs, top),
    areas: ranked(byArea, busyMs, top),
  };
};

/** The entries as aligned lines: milliseconds, share, name. */
export const formatTop = (entries: readonly SelfTime[]): string =>
  entries
    .map(
      (entry) =>
        `${String(entry.ms).padStart(7)} ms ${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.name}`,
    )
    .join('\n');
