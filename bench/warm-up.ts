/**
 * The bench measures a warm twin, as a service runs once it has served its first minute. A fresh
 * DynamoDB Local compiles its hot paths (the JVM's C2) over its first ~30 s of load, and the
 * twin's V8 its own: measured cold, a list request cost DynamoDB Local 2.2–3.5 ms of CPU, warm
 * 1.1 ms, and the same list ran at 318–439 req/s cold and 545–602 warm (docs/decisions.md, "The
 * bench measures a warm twin"). DynamoDB in AWS has no such phase; Parse's PostgreSQL is native
 * code. Warming changes no code path and caches nothing: it is load, run before the measured load.
 */
import type autocannon from 'autocannon';
import { runLoad } from './load.ts';
import { benchSeconds } from './scale.ts';

/** Seconds of load a fresh twin (or DynamoDB Local) gets before anything is measured on it. */
export const WARM_UP_SECONDS = 30;

/** Every workload's own paths get at least this much of the warm-up. */
export const MIN_SECONDS_EACH = 4;

/**
 * Runs the workloads one after the other at 10 connections, WARM_UP_SECONDS in all (at least
 * MIN_SECONDS_EACH each); nothing is recorded.
 */
export const warmUp = async (workloads: readonly autocannon.Options[]): Promise<void> => {
  const each = Math.max(MIN_SECONDS_EACH, Math.round(WARM_UP_SECONDS / Math.max(1, workloads.length)));
  for (const options of workloads)
    await runLoad({ ...options, connections: 10, duration: benchSeconds(each) });
};
