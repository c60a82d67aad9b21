/**
 * DynamoDB consumed capacity per request of each workload. The twin runs in this process, so
 * its handlers use the same DynamoDB client module as this file: a middleware on that client
 * asks for ReturnConsumedCapacity on every call and adds it up. Each workload's request is sent
 * sequentially through the HTTP gateway (the real path) and the sum is divided per request;
 * calls outside a request (the stream consumers' audit and notify work) are not counted.
 */
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '#data/client.ts';
import { requestScope } from '../local/request-scope.ts';
import type { Twin } from '../local/twin.ts';
import { seedTwin } from '../scripts/seed.ts';
import { benchContext } from './http.ts';
import { type BenchWorkload, WORKLOADS } from './workloads.ts';

export interface CapacityFigure {
  workload: string;
  readUnits: number;
  writeUnits: number;
  calls: number;
  requests: number;
}

const REQUESTS_PER_WORKLOAD = 20;

const totals = { read: 0, write: 0, calls: 0 };

const add = (capacity: ConsumedCapacity | ConsumedCapacity[] | undefined) => {
  for (const entry of Array.isArray(capacity) ? capacity : capacity ? [capacity] : []) {
    // DynamoDB Local reports CapacityUnits only; reads and writes are told apart by the call.
    totals.read += entry.ReadCapacityUnits ?? 0;
    totals.write += entry.WriteCapacityUnits ?? 0;
  }
};

const WRITE_COMMANDS = /Put|Update|Delete|Transact|BatchWrite/;

dynamoClient.middlewareStack.add(
  (next, context) => async (args) => {
    // Only the calls a request makes itself: the stream consumers run in this process too.
    if (requestScope.getStore() === undefined) return next(args);
    (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    totals.calls += 1;
    const output = result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
    const entries = Array.isArray(output.ConsumedCapacity)
      ? output.ConsumedCapacity
      : output.ConsumedCapacity
        ? [output.ConsumedCapacity]
        : [];
    const isWrite = WRITE_COMMANDS.test(context.commandName ?? '');
    for (const entry of entries) {
      const units = entry.CapacityUnits ?? 0;
      if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) add(entry);
      else if (isWrite) totals.write += units;
      else totals.read += units;
    }
    return result;
  },
  { step: 'initialize', name: 'benchConsumedCapacity' },
);

/** A refused request reads less than the real one: counting it would undercount the workload. */
const assertServed = async (workload: string, response: Response): Promise<void> => {
  const text = await response.text();
  const graphqlErrors = response.headers.get('content-type')?.includes('json')
    ? (JSON.parse(text || 'null') as { errors?: unknown } | null)?.errors
    : undefined;
  if (response.status >= 400 || graphqlErrors !== undefined)
    throw new Error(`capacity of "${workload}": answered ${response.status} ${text.slice(0, 300)}`);
};

export const measureCapacity = async (
  twin: Twin,
  dataDir: string,
  workloads: readonly BenchWorkload[] = WORKLOADS,
): Promise<CapacityFigure[]> => {
  await seedTwin(twin, dataDir);
  const context = await benchContext(twin.urls.api, dataDir);
  const figures: CapacityFigure[] = [];
  for (const workload of workloads) {
    const request = await workload.prepare(context);
    const before = { ...totals };
    for (let sequence = 0; sequence < REQUESTS_PER_WORKLOAD; sequence++) {
      const body = request.vary ? request.vary(request.body, 1_000_000 + sequence) : request.body;
      const response = await fetch(`${twin.urls.api}${request.path}`, {
        method: request.method,
        headers: {
          ...request.headers,
          ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await assertServed(workload.name, response);
    }
    figures.push({
      workload: workload.name,
      readUnits: (totals.read - before.read) / REQUESTS_PER_WORKLOAD,
      writeUnits: (totals.write - before.write) / REQUESTS_PER_WORKLOAD,
      calls: (totals.calls - before.calls) / REQUESTS_PER_WORKLOAD,
      requests: REQUESTS_PER_WORKLOAD,
    });
  }
  return figures;
};
