import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginThrottleEntity } from '#data/entities/identity.ts';
import { MAIN_TABLE } from '#data/tables.ts';
import { LOGIN_THROTTLE, loginThrottleKey } from '#domain/identity/auth-service.ts';
import type { LoginThrottleStore } from '#domain/identity/ports.ts';
import { ensureTable } from '../../local/tables.ts';
import { readable } from '../support/expressions.ts';
import { startTestDynamoDb, stubRepositoryEnv } from './helpers.ts';

const tableName = 'LoginThrottleTest';
const WINDOW = LOGIN_THROTTLE.windowSeconds;
const LOCK = LOGIN_THROTTLE.lockSeconds;
const T0 = new Date('2026-03-02T09:00:00.000Z');

let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let items: DynamoDBDocumentClient;
let store: LoginThrottleStore;
let storeClient: DynamoDBDocumentClient;

beforeAll(async () => {
  ddb = await startTestDynamoDb('login-throttle');
  // The store's stream consumers are not under test: the table needs no stream.
  const { stream: _noStream, ...withoutStream } = MAIN_TABLE;
  await ensureTable(ddb.client, withoutStream, tableName);
  items = DynamoDBDocumentClient.from(ddb.client);
  // The store's client reads its endpoint, region and credentials from the environment on import.
  stubRepositoryEnv(ddb.endpoint, tableName);
  ({ loginThrottleStore: store } = await import('#data/login-throttle.ts'));
  ({ documentClient: storeClient } = await import('#data/client.ts'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await ddb?.client.send(new DeleteTableCommand({ TableName: tableName }));
  storeClient?.destroy();
  await ddb?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const plus = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
const epochSeconds = (date: Date) => date.getTime() / 1000;
const keyFor = (name: string) => loginThrottleKey(`${name}@example.com`);

const fail = async (emailKey: string, now: Date, times = 1) => {
  for (let attempt = 0; attempt < times; attempt += 1)
    await store.recordFailure(emailKey, now, LOGIN_THROTTLE);
};

const counterItem = async (emailKey: string) =>
  (
    await items.send(
      new GetCommand({
        TableName: tableName,
        Key: loginThrottleEntity.key({ emailKey }),
        ConsistentRead: true,
      }),
    )
  ).Item;

describe('login throttle store (DynamoDB Local)', () => {
  it('does not lock after four failures', async () => {
    // Prepare
    const key = keyFor('four');
    // Act
    await fail(key, T0, 4);
    // Assess
    expect(await store.lockedUntil(key, T0)).toBeUndefined();
    expect(await counterItem(key)).toMatchObject({ failures: 4, kind: 'LoginThrottle' });
  });

  it('locks on the fifth failure until 15 minutes after it', async () => {
    const key = keyFor('five');
    await fail(key, T0, 4);
    const fifthAt = plus(T0, 120);

    await fail(key, fifthAt);

    expect(await store.lockedUntil(key, fifthAt)).toEqual(plus(fifthAt, LOCK));
    expect(await store.lockedUntil(key, plus(fifthAt, LOCK - 1))).toEqual(plus(fifthAt, LOCK));
    expect(await counterItem(key)).toMatchObject({
      failures: 5,
      lockedUntil: epochSeconds(plus(fifthAt, LOCK)),
      ttl: epochSeconds(plus(fifthAt, LOCK)),
    });
  });

  it('unlocks when the lock is over, and the next failure opens a new window', async () => {
    const key = keyFor('expired-lock');
    await fail(key, T0, 5);
    const afterLock = plus(T0, LOCK);

    const locked = await store.lockedUntil(key, afterLock);
    await fail(key, afterLock);

    expect(locked).toBeUndefined();
    expect(await store.lockedUntil(key, afterLock)).toBeUndefined();
    const item = await counterItem(key);
    expect(item).toMatchObject({
      failures: 1,
      windowStartedAt: afterLock.toISOString(),
      ttl: epochSeconds(plus(afterLock, WINDOW)),
    });
    expect(item).not.toHaveProperty('lockedUntil');
  });

  it('forgets failures older than the window: the item past its ttl counts as absent', async () => {
    const key = keyFor('old-failures');
    await fail(key, T0, 4);
    const windowOver = plus(T0, WINDOW);

    await fail(key, windowOver, 4);

    expect(await store.lockedUntil(key, windowOver)).toBeUndefined();
    expect(await counterItem(key)).toMatchObject({ failures: 4, windowStartedAt: windowOver.toISOString() });
  });

  it('counts failures spread over the window in the window', async () => {
    const key = keyFor('spread');
    await fail(key, T0, 2);
    await fail(key, plus(T0, 5 * 60), 2);
    const lastSecond = plus(T0, WINDOW - 1);

    await fail(key, lastSecond);

    expect(await store.lockedUntil(key, lastSecond)).toEqual(plus(lastSecond, LOCK));
  });

  it('locks exactly once under 20 concurrent failures, with every failure counted', async () => {
    const key = keyFor('concurrent');
    const send = storeClient.send.bind(storeClient) as (command: unknown) => Promise<unknown>;
    let lockWrites = 0;
    vi.spyOn(storeClient, 'send').mockImplementation((async (command: unknown) => {
      const result = await send(command);
      if (
        command instanceof UpdateCommand &&
        readable(command.input, 'UpdateExpression')?.includes('lockedUntil')
      ) {
        lockWrites += 1;
      }
      return result;
    }) as typeof storeClient.send);

    await Promise.all(Array.from({ length: 20 }, () => store.recordFailure(key, T0, LOGIN_THROTTLE)));

    expect(lockWrites).toBe(1);
    expect(await store.lockedUntil(key, T0)).toEqual(plus(T0, LOCK));
    expect(await counterItem(key)).toEqual({
      ...loginThrottleEntity.key({ emailKey: key }),
      kind: 'LoginThrottle',
      failures: 20,
      windowStartedAt: T0.toISOString(),
      lockedUntil: epochSeconds(plus(T0, LOCK)),
      ttl: epochSeconds(plus(T0, LOCK)),
    });
  });

  it('clear removes the counter, lock included', async () => {
    const key = keyFor('cleared');
    await fail(key, T0, 5);

    await store.clear(key);

    expect(await counterItem(key)).toBeUndefined();
    expect(await store.lockedUntil(key, T0)).toBeUndefined();
  });

  it('keeps one email’s counter apart from another’s', async () => {
    const locked = keyFor('locked-one');
    const other = keyFor('other-one');
    await fail(locked, T0, 5);

    await fail(other, T0);

    expect(await store.lockedUntil(other, T0)).toBeUndefined();
    expect(await counterItem(other)).toMatchObject({ failures: 1 });
  });
});
