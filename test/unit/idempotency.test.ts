import { createHash } from 'node:crypto';
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
import { withIdempotency } from '#runtime/idempotent-routes.ts';
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

const GROUP_ROUTE: RouteDefinition = {
  ...ROUTE,
  path: '/groups/{group}/things',
  operationId: 'createGroupThing',
  request: { ...ROUTE.request, params: z.object({ group: z.string() }) },
};
const PUT_ROUTE: RouteDefinition = { ...ROUTE, method: 'PUT', operationId: 'putThing' };

let created = 0;
const createThing = vi.fn<Operation>(async ({ body }) => {
  created += 1;
  return {
    status: 201,
    headers: { location: `/things/${created}` },
    body: { id: `thing-${created}`, ...(body as object) },
  };
});
const handler = createHttpHandler(
  'test',
  [ROUTE, GROUP_ROUTE, PUT_ROUTE],
  { createThing, createGroupThing: createThing, putThing: createThing },
  withIdempotency,
);

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

const postToGroup = (group: string, key: string) =>
  handler(
    httpEvent({
      routeKey: 'POST /groups/{group}/things',
      path: `/groups/${group}/things`,
      pathParameters: { group },
      body: { name: 'a' },
      headers: { 'Idempotency-Key': key },
      claims: claimsFor(['recruiter'], 'user-1'),
    }),
    lambdaContext(),
  );

const base64Of = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('base64');

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

  it('keys the record by caller and key with SHA-256, and records method, path and body SHA-256', async () => {
    // Act
    await post({ key: 'k-1', body: { name: 'a' } });
    // Assess
    const [item] = [...table.items.values()];
    const keyHash = base64Of('sha256', JSON.stringify({ key: 'k-1', userId: 'user-1' }));
    expect(item?.sk?.S).toBe(`shiftline#${keyHash}`);
    const request = item?.data?.M?.request?.M;
    expect(request?.method).toEqual({ S: 'POST' });
    expect(request?.path).toEqual({ S: '/things' });
    const bodySha256 = createHash('sha256').update('{"name":"a"}').digest('hex');
    expect(request?.bodySha256).toEqual({ S: bodySha256 });
  });

  it('answers 422, never a replay, to the same key and body on another concrete path', async () => {
    // Prepare
    const first = await postToGroup('A', 'k-path');
    // Act
    const other = await postToGroup('B', 'k-path');
    // Assess
    expect(first.statusCode).toBe(201);
    expect(other.statusCode).toBe(422);
    expect(jsonOf(other)).toMatchObject({ details: { idempotencyKey: 'reused with another path' } });
    expect(createThing).toHaveBeenCalledTimes(1);
  });

  it('answers 422 to the same key and body with another method', async () => {
    // Prepare
    await post({ key: 'k-method' });
    // Act
    const other = await handler(
      httpEvent({
        routeKey: 'PUT /things',
        body: { name: 'a' },
        headers: { 'Idempotency-Key': 'k-method' },
        claims: claimsFor(['recruiter'], 'user-1'),
      }),
      lambdaContext(),
    );
    // Assess
    expect(other.statusCode).toBe(422);
    expect(jsonOf(other)).toMatchObject({ details: { idempotencyKey: 'reused with another method' } });
    expect(createThing).toHaveBeenCalledTimes(1);
  });

  it('still replays a record written before the change (MD5, route template, body only) until it expires', async () => {
    // Prepare: the layout Powertools wrote with its defaults before method and path were recorded
    const legacyKey = base64Of(
      'md5',
      JSON.stringify({ key: 'k-old', routeKey: 'POST /things', userId: 'user-1' }),
    );
    table.items.set(`IDEMP|shiftline#${legacyKey}`, {
      pk: { S: 'IDEMP' },
      sk: { S: `shiftline#${legacyKey}` },
      status: { S: 'COMPLETED' },
      ttl: { N: String(Math.round(Date.now() / 1000) + 3600) },
      validation: { S: base64Of('md5', JSON.stringify({ name: 'a' })) },
      data: { M: { status: { N: '201' }, body: { M: { id: { S: 'thing-old' } } } } },
    });
    // Act
    const retry = await post({ key: 'k-old', body: { name: 'a' } });
    const otherBody = await post({ key: 'k-old', body: { name: 'b' } });
    // Assess
    expect(retry.statusCode).toBe(201);
    expect(jsonOf(retry)).toEqual({ id: 'thing-old' });
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(otherBody.statusCode).toBe(422);
    expect(createThing).not.toHaveBeenCalled();
  });

  it('runs again once a record written before the change has expired', async () => {
    // Prepare
    const legacyKey = base64Of(
      'md5',
      JSON.stringify({ key: 'k-gone', routeKey: 'POST /things', userId: 'user-1' }),
    );
    table.items.set(`IDEMP|shiftline#${legacyKey}`, {
      pk: { S: 'IDEMP' },
      sk: { S: `shiftline#${legacyKey}` },
      status: { S: 'COMPLETED' },
      ttl: { N: String(Math.round(Date.now() / 1000) - 10) },
      validation: { S: base64Of('md5', JSON.stringify({ name: 'a' })) },
      data: { M: { status: { N: '201' }, body: { M: { id: { S: 'thing-old' } } } } },
    });
    // Act
    const result = await post({ key: 'k-gone', body: { name: 'a' } });
    // Assess
    expect(result.statusCode).toBe(201);
    expect(createThing).toHaveBeenCalledTimes(1);
  });
});
