/**
 * The HTTP workloads `npm run bench` measures. Each capability adds its own in
 * bench/workloads/<capability>.ts and lists them here. A workload prepares its data through the
 * API once, then names the request autocannon repeats; every request runs the real path.
 */
import type { Role } from '#domain/roles.ts';
import { CONTRACT_WORKLOADS } from './workloads/contracts.ts';
import { GRAPHQL_WORKLOADS } from './workloads/graphql.ts';
import { IDENTITY_WORKLOADS } from './workloads/identity.ts';
import { MESSAGING_WORKLOADS } from './workloads/messaging.ts';
import { STAFF_CREDENTIAL_WORKLOADS } from './workloads/staff-credentials.ts';
import { SYNC_WORKLOADS } from './workloads/sync.ts';

export interface BenchSession {
  idToken: string;
  userId: string;
}

export interface BenchContext {
  api: string;
  sessions: Record<Role, BenchSession>;
  /** JSON request against the twin's API, for preparing data. */
  call: (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ) => Promise<{ status: number; body: unknown }>;
}

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Requests per second over all connections, when the workload must stay under a limit (autocannon's overallRate). */
  overallRate?: number;
  /** Changes each request's body (e.g. a unique clientMessageId) when the same body would conflict. */
  vary?: (body: unknown, sequence: number) => unknown;
}

export interface BenchWorkload {
  name: string;
  /** The DynamoDB operation it rests on, for the ratio to the raw ceiling (FACTS.md). */
  restsOn?: string;
  prepare: (context: BenchContext) => Promise<BenchRequest>;
}

export const WORKLOADS: readonly BenchWorkload[] = [
  ...IDENTITY_WORKLOADS,
  ...CONTRACT_WORKLOADS,
  ...MESSAGING_WORKLOADS,
  ...STAFF_CREDENTIAL_WORKLOADS,
  ...GRAPHQL_WORKLOADS,
  ...SYNC_WORKLOADS,
];
