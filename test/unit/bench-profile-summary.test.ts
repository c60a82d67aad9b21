import { describe, expect, it } from 'vitest';
import { type CpuProfile, timeByNearestFrame } from '../../bench/profile-summary.ts';

const frame = (id: number, url: string, children: number[] = [], functionName = 'f') => ({
  id,
  callFrame: { functionName, url, lineNumber: 0 },
  children,
});

// root → loader (node:) → SDK module → loader (node:) → compile (no url);
//      → the bundle → zod (inside the bundle); → idle.
const profile: CpuProfile = {
  nodes: [
    frame(1, '', [2, 6, 8], '(root)'),
    frame(2, 'node:internal/modules/esm/loader', [3]),
    frame(3, 'file:///x/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js', [4]),
    frame(4, 'node:internal/modules/cjs/loader', [5]),
    frame(5, '', [], 'compileFunction'),
    frame(6, 'file:///x/bundle/index.mjs', [7]),
    frame(7, 'file:///x/bundle/index.mjs'),
    frame(8, '', [], '(idle)'),
  ],
  startTime: 0,
  endTime: 10_000,
  // Each sample's time is the delta to the next one: 1 ms each; the last one's is unknown.
  samples: [5, 4, 2, 7, 8, 5],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000],
};

const classify = (url: string) =>
  url.includes('/node_modules/@aws-sdk/')
    ? 'sdk'
    : url.startsWith('file:///x/bundle/')
      ? 'bundle'
      : undefined;

describe("a profile's time by the nearest frame that names it", () => {
  it("counts the loader's work for a package as the package's, and leaves idle out", () => {
    // Act
    const times = timeByNearestFrame(profile, classify, 'node');
    // Assess: compile and loader under the SDK module are the SDK's; the loader above it is Node's.
    expect(Object.fromEntries(times)).toEqual({ sdk: 2, node: 1, bundle: 1 });
  });
});
