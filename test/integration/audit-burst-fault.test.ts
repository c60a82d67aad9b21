/**
 * The audit consumer killed mid-batch during a 1,000-write burst, then restarted: a first
 * consumer appends half of a batch and dies (and stays dead: it is stopped), a second one starts
 * from the stream's oldest record (an event source mapping restarted without its checkpoint, the
 * worst case: everything is delivered again). Every entry is written exactly once — each chain's
 * seqs run 1..n, every stream record is one entry — and the next hourly digest names every chain
 * at its newest seq and hash. Its own DynamoDB Local, with one stream-enabled Main table.
 */
import { join } from 'node:path';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUDIT_LEDGER_TABLE, MAIN_TABLE } from '#data/tables.ts';
import type { ServiceContext } from '#domain/context.ts';
import { userEvent } from '#domain/identity/user-events.ts';
import { STREAM_CONSUMERS } from '#shared/functions.ts';
import { type StreamHandler, startStreamPoller } from '../../local/stream-poller.ts';
import { ensureTable } from '../../local/tables.ts';
import { memoryEvidenceStore } from '../support/memory-evidence-store.ts';
import { removeTestDirs, startTestDynamoDb, stubRepositoryEnv, testCredentials, testDir } from './helpers.ts';

const MAIN = 'BurstMain';
const LEDGER = 'BurstLedger';
const USERS = 10;
const WRITES_PER_USER = 100;
const HOUR = 3_600_000;

let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let streamArn: string;
let items: DynamoDBDocumentClient;
let audit: StreamHandler;

beforeAll(async () => {
  ddb = await startTestDynamoDb('audit-burst');
  const main = await ensureTable(ddb.client, MAIN_TABLE, MAIN);
  await ensureTable(ddb.client, AUDIT_LEDGER_TABLE, LEDGER);
  if (!main.streamArn) throw new Error('Main has no stream');
  streamArn = main.streamArn;
  items = DynamoDBDocumentClient.from(ddb.client);
  stubRepositoryEnv(ddb.endpoint, MAIN);
  vi.stubEnv('LEDGER_TABLE_NAME', LEDGER);
  ({ handler: audit } = (await import('../../functions/streams/audit.ts')) as { handler: StreamHandler });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  removeTestDirs();
  (await import('#data/client.ts')).documentClient.destroy();
  await ddb?.stop();
});

const pollerWith = (handler: StreamHandler, startingPosition: 'LATEST' | 'TRIM_HORIZON') => {
  const definition = STREAM_CONSUMERS.audit;
  if (!definition) throw new Error('the audit consumer is not registered');
  return startStreamPoller({
    dynamodbEndpoint: ddb.endpoint,
    streamArn,
    credentials: testCredentials,
    dlqDir: testDir('burst-dlq'),
    retryBaseDelayMs: 10,
    startingPosition,
    onError: () => undefined,
    consumers: [{ name: 'audit', definition, handler }],
  });
};

const chainOf = async (userId: string) => {
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await items.send(
      new QueryCommand({
        TableName: LEDGER,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ENTITY#User#${userId}` },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
};

describe('the audit consumer killed mid-batch during a burst', () => {
  it('writes every entry exactly once after a restart, and the next digest covers them', {
    timeout: 300_000,
  }, async () => {
    // Prepare: a consumer that dies in its third batch (or the first of more than one record after it), after appending half of it.
    const { accessEventRepository } = await import('#data/access-events.ts');
    const users = Array.from({ length: USERS }, (_, i) => `burst-user-${Date.now().toString(36)}-${i}`);
    let batches = 0;
    let killed = false;
    const dying: StreamHandler = async (event, context) => {
      if (killed) throw new Error('the consumer is dead');
      batches += 1;
      if (batches >= 3 && event.Records.length > 1) {
        await audit({ Records: event.Records.slice(0, Math.ceil(event.Records.length / 2)) }, context);
        killed = true;
        throw new Error('killed mid-batch');
      }
      return audit(event, context);
    };
    const first = await pollerWith(dying, 'LATEST');
    // Act: 1,000 writes in bursts of 50, the consumer killed along the way, then restarted.
    for (let round = 0; round < WRITES_PER_USER / 5; round += 1) {
      await Promise.all(
        users.flatMap((userId) =>
          Array.from({ length: 5 }, (_, i) => {
            const context: ServiceContext = {
              actor: { userId, roles: ['staff'] },
              now: new Date(),
              requestId: `req-${round}-${i}`,
            };
            return accessEventRepository.record(userEvent(context, userId, 'login', 'login'));
          }),
        ),
      );
    }
    await vi.waitFor(() => expect(killed).toBe(true), { timeout: 120_000 });
    await first.stop();
    const beforeRestart = (await Promise.all(users.map(chainOf))).flat().length;
    const second = await pollerWith(audit, 'TRIM_HORIZON');
    await vi.waitFor(
      async () => {
        for (const userId of users) expect(await chainOf(userId)).toHaveLength(WRITES_PER_USER);
      },
      { timeout: 240_000, interval: 1_000 },
    );
    await second.idle(60_000);
    await second.stop();
    const { createDigestRun } = await import('#domain/audit/digest-run.ts');
    const { ledgerReader } = await import('#data/audit-queries.ts');
    const { localSigner } = await import('#data/ledger-signer.ts');
    const store = memoryEvidenceStore();
    const digest = createDigestRun({
      reader: ledgerReader,
      store,
      signer: localSigner(join(testDir('burst-key'), 'key.pem')),
    });
    const run = await digest(new Date(Date.now() + HOUR), new Date());
    // Assess
    const chains = await Promise.all(users.map(chainOf));
    const eventIds = chains.flat().map((entry) => String(entry.eventId));
    expect(chains.map((chain) => chain.map((entry) => entry.seq))).toEqual(
      users.map(() => Array.from({ length: WRITES_PER_USER }, (_, i) => i + 1)),
    );
    expect(new Set(eventIds).size).toBe(USERS * WRITES_PER_USER);
    // The first consumer had appended part of the burst, half a batch included, when it died.
    expect(beforeRestart).toBeGreaterThan(0);
    expect(beforeRestart).toBeLessThan(USERS * WRITES_PER_USER);
    expect(run.written).toBe(true);
    const signed = JSON.parse(String(store.objects.get(run.key))) as {
      digest: { chains: { entityId: string; entries: number; headHash: string }[] };
    };
    for (const [index, userId] of users.entries()) {
      expect(signed.digest.chains.find((chain) => chain.entityId === userId)).toEqual(
        expect.objectContaining({ entries: WRITES_PER_USER, headHash: chains[index]?.at(-1)?.hash }),
      );
    }
  });
});
