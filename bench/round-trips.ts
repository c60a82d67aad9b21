/**
 * Issue 18's rule on round trips: no more DynamoDB calls on a request's path than the capacity
 * table held when the issue was filed, except where this wave adds a feature — each addition
 * listed with its cost. The baseline is that table (bench/RESULTS.md at commit d640f94).
 */
import type { CapacityFigure } from './capacity.ts';

interface Baseline {
  /** What names the workload in the capacity table (its label starts with this). */
  workload: string;
  calls: number;
  /** Why a request makes more calls now: the feature this wave added, with the issue. */
  added?: string;
}

const BASELINE: readonly Baseline[] = [
  { workload: 'GET /health', calls: 0 },
  {
    workload: 'GET /me',
    calls: 1,
    added:
      'the revocation check (issue 12): a strongly consistent GetItem of the session record, trusted 30 s per container',
  },
  {
    workload: 'POST /auth/login',
    calls: 2,
    added:
      'abuse limits (issue 12): the per-email limit beside the per (email, source) throttle, each a read and a clear',
  },
  { workload: 'staff lists own 20 contracts', calls: 1 },
  { workload: 'POST /contracts (', calls: 2 },
  {
    workload: 'POST /conversations/{id}/messages',
    calls: 2,
    added:
      "real time off the stream (issue 18): the fan-out's one BatchGetItem of the participants' presence items, started beside the Put",
  },
  { workload: 'GET /conversations/{id}/messages', calls: 3 },
  { workload: 'GET /staff/{id} (recruiter', calls: 1 },
  { workload: 'staff lists own 20 credentials', calls: 2 },
  {
    workload: 'GET /credentials?status=pending',
    calls: 1,
    added:
      "a frontend developer's first hour (issue 14): queue items carry the staff member's name, one BatchGetItem of the page's profiles",
  },
  { workload: 'POST /staff/{id}/credentials', calls: 2 },
];

const baselineOf = (workload: string) => BASELINE.find((entry) => workload.startsWith(entry.workload));

export const roundTripsSection = (capacity: readonly CapacityFigure[]): string[] => {
  const rows = capacity.flatMap((figure) => {
    const baseline = baselineOf(figure.workload);
    if (baseline === undefined)
      return [`| ${figure.workload} | — | ${figure.calls.toFixed(1)} | new this wave |`];
    const more = figure.calls - baseline.calls;
    const verdict =
      more < 0.05
        ? more <= -0.05
          ? `${(-more).toFixed(1)} fewer`
          : 'the same'
        : `+${more.toFixed(1)}: ${baseline.added ?? 'not explained by a feature: a regression'}`;
    return [
      `| ${figure.workload} | ${baseline.calls.toFixed(1)} | ${figure.calls.toFixed(1)} | ${verdict} |`,
    ];
  });
  return [
    '### Round trips on a request’s path beside the table when issue 18 was filed',
    '',
    'DynamoDB calls per request (the table above) against the same table when the performance',
    'issue was filed (bench/RESULTS.md at d640f94). A request may make more only where this wave',
    'added a feature; each addition is named with its cost. Workloads new this wave have no baseline.',
    '',
    '| workload | calls then | calls now | difference |',
    '|---|---:|---:|---|',
    ...rows,
    '',
  ];
};
