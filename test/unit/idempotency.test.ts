import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { Conflict } from '#domain/errors.ts';
import '#domain/zod-openapi.ts';
import { createHttpHandler, type Operation } from '#runtime/http.ts';
import type { RouteDefinition } from '#shared/routes.ts';
import { captureLogs, claimsFor, httpEvent, jsonOf, lambdaContext } from './support/lambda.ts';

type Item = Record<string, AttributeValue>;

/** A DynamoDB table in memory, enough of Put/Get/Update/Delete for Powertools idempotency. */
const memoryTable = () => {
  const items = new Map<string, Item>();
  const keyOf = (key: Item | undefined) => `${key?.pk?.S}|${key?.sk?.S}`;
  const dynamo = mockClient(DynamoDBClient);
  dynamo.on(PutItemCommand).callsFake(async (input: { Item: Item }) => {
    const existing = items.get(keyOf(input.Item));
    if (existing !== undefined) {
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: existing,
      });
    }
    items.set(keyOf(input.Item), input.Item);
    return {};
  });
  dynamo
    .on(GetItemCommand)
    .callsFake(async (input: { Key: Item }) => ({ Item: items.get(keyOf(input.Key)) }));
  dynamo.on(DeleteItemCommand).callsFake(async (input: { Key: Item }) => {
    items.delete(keyOf(input.Key));
    return {};
  });
  dynamo
    .on(UpdateItemCommand)
    .callsFake(
      async (input: {
        Key: Item;
        UpdateExpression: string;
        ExpressionAttributeNames: Record<string, string>;
        ExpressionAttributeValues: Item;
      }) => {
        const item = { ...items.get(keyOf(input.Key)), ...input.Key };
        for (const [, name = '', value = ''] of input.UpdateExpression.matchAll(/(#\w+) = (:\w+)/g)) {
          const attribute = input.ExpressionAttributeNames[name];
          const attributeValue = input.ExpressionAttributeValues[value];
          if (attribute !== undefined && attributeValue !== undefined) item[attribute] = attributeValue;
        }
        items.set(keyOf(input.Key), item);
        return {};
      },
    );
  return { items, dynamo };
};

const ROUTE: RouteDefinition = {
  method: 'POST',
  path: '/things',
  operationId: 'createThing',
  summary: 'Create a thing',
  tag: 'Test',
  fn: 'docs',
  access: { roles: ['recruiter'] },
  request: { body: z.object({ name: z.string() }).strict(), idempotent: true },
  responses: { 201: { description: 'Created' } },
};

let created = 0;
const createThing = vi.fn<Operation>(async ({ body }) => {
  created += 1;
  return {
    status: 201,
    headers: { location: `/things/${created}` },
    body: { id: `thing-${created}`, ...(body as object) },
  };
});
const handler = createHttpHandler('test', [ROUTE], { createThing });

const post = (options: { key?: string; body?: object; sub?: string; requestId?: string }) =>
  handler(
    httpEvent({
      routeKey: 'POST /things',
      body: options.body ?? { name: 'a' },
      headers: options.key === undefined ? {} : { 'Idempotency-Key': options.key },
      claims: claimsFor(['recruiter'], options.sub ?? 'user-1'),
      ...(options.requestId ? { requestId: options.requestId } : {}),
    }),
    lambdaContext(),
  );

let table: ReturnType<typeof memoryTable>;
let logs: ReturnType<typeof captureLogs>;
beforeAll(() => {
  vi.stubEnv('MAIN_TABLE_NAME', 'Main');
});
afterAll(() => {
  vi.unstubAllEnvs();
});
beforeEach(() => {
  table = memoryTable();
  logs = captureLogs();
  created = 0;
});
afterEach(() => {
  table.dynamo.restore();
  logs.restore();
  vi.clearAllMocks();
});

describe('idempotency', () => {
  it('stores the first response in Main under the idempotency partition, with a 24 h ttl', async () => {
    // Act
    const result = await post({ key: 'k-1' });
    // Assess
    expect(result.statusCode).toBe(201);
    const [item] = [...table.items.values()];
    expect(item?.pk).toEqual({ S: 'IDEMP' });
    expect(item?.sk?.S).toMatch(/^shiftline#/);
    expect(item?.status).toEqual({ S: 'COMPLETED' });
    const ttl = Number(item?.ttl?.N);
    expect(ttl - Date.now() / 1000).toBeGreaterThan(24 * 3600 - 60);
    expect(ttl - Date.now() / 1000).toBeLessThanOrEqual(24 * 3600 + 1);
  });

  it('replays the stored response to a retry with the same key and body', async () => {
    // Prepare
    const first = await post({ key: 'k-1', requestId: 'first' });
    // Act
    const retry = await post({ key: 'k-1', requestId: 'retry' });
    // Assess
    expect(createThing).toHaveBeenCalledTimes(1);
    expect(retry.statusCode).toBe(201);
    expect(jsonOf(retry)).toEqual(jsonOf(first));
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['x-request-id']).toBe('retry');
  });

  it('answers 422 to the same key with another body', async () => {
    await post({ key: 'k-1', body: { name: 'a' } });
    const other = await post({ key: 'k-1', body: { name: 'b' } });
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toBe('application/problem+json');
    expect(createThing).toHaveBeenCalledTimes(1);
  });

  it('scopes keys to the caller', async () => {
    await post({ key: 'shared', sub: 'user-1' });
    const other = await post({ key: 'shared', sub: 'user-2' });
    expect(other.statusCode).toBe(201);
    expect(createThing).toHaveBeenCalledTimes(2);
  });

  it('answers 409 to a retry while the first request is still running', async () => {
    // Prepare
    let finish: () => void = () => undefined;
    createThing.mockImplementationOnce(async () => {
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      return { status: 201, body: { id: 'slow' } };
    });
    const first = post({ key: 'k-slow' });
    await vi.waitFor(() => expect(createThing).toHaveBeenCalledTimes(1));
    // Act
    const concurrent = await post({ key: 'k-slow' });
    finish();
    // Assess
    expect(concurrent.statusCode).toBe(409);
    expect((await first).statusCode).toBe(201);
  });

  it('keeps no record of a failed request, so a retry runs again', async () => {
    createThing.mockRejectedValueOnce(new Conflict('duplicate', 'exists'));
    const failed = await post({ key: 'k-fail' });
    const retry = await post({ key: 'k-fail' });
    expect(failed.statusCode).toBe(409);
    expect(retry.statusCode).toBe(201);
    expect(createThing).toHaveBeenCalledTimes(2);
  });

  it('does nothing without the header', async () => {
    await post({});
    await post({});
    expect(createThing).toHaveBeenCalledTimes(2);
    expect(table.dynamo.calls()).toHaveLength(0);
  });

  it.each(['', 'x'.repeat(256), 'tab\there', 'naïve'])('answers 400 to the key %j', async (key) => {
    const result = await post({ key });
    expect(result.statusCode).toBe(400);
    expect(createThing).not.toHaveBeenCalled();
  });
});
