/**
 * The ledger anchored outside its database, on the twin: contracts are written, two hourly
 * digests are fired, and then an insider edits DynamoDB Local and the object store's files
 * directly, as no API would let them: a Contract chain deleted, one rewritten with every hash
 * recomputed, one cut short, a digest deleted and one altered. /audit/verify reports each, and
 * nothing while the ledger is untouched.
 */
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ledgerKeys } from '#data/ledger-keys.ts';
import { canonicalJson, hashOf, type LedgerEntry, unhashedOf } from '#domain/audit/entry.ts';
import { LOCAL_REGION, localCredentials } from '../../local/local-aws.ts';
import { EVIDENCE_BUCKET_NAME, TABLE_NAMES } from '../../local/twin.ts';
import { newStaffMember } from './support/staff-members.ts';
import { api, eventually, loginAs, type Session, twin } from './support/twin.ts';

const HOUR = 3_600_000;
const aws = { endpoint: '', region: LOCAL_REGION, credentials: localCredentials };
const ledger = () =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...aws, endpoint: twin().urls.dynamodb }));
const s3 = () => new S3Client({ ...aws, endpoint: twin().urls.s3, forcePathStyle: true });

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const content = (terms: string) => ({
  title: 'Night shifts, 13 weeks',
  terms,
  startDate: future(14),
  endDate: future(105),
  rate: { amountCents: 7000, currency: 'USD', per: 'hour' },
  location: 'Mercy General, ICU',
  requiredCredentialTypes: ['rn'],
});

interface Problem {
  kind: string;
  entityType?: string;
  entityId?: string;
  digestKey?: string;
}

let admin: Session;
let hourStart: number;
const contracts: Record<'untouched' | 'deleted' | 'rewritten' | 'truncated', string> = {
  untouched: '',
  deleted: '',
  rewritten: '',
  truncated: '',
};
const digestKeys: string[] = [];
/** A contract edited twice whose day is archived (ledgerArchive) before its chain is verified. */
let archivedContract = '';

const chainItems = async (id: string) => {
  const { Items = [] } = await ledger().send(
    new QueryCommand({
      TableName: TABLE_NAMES.ledger,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': ledgerKeys.chain({ entityType: 'Contract', entityId: id }) },
      ConsistentRead: true,
    }),
  );
  return Items;
};

const fireDigest = async (time: number) => {
  const fired = await fetch(`${twin().urls.scheduler}/schedules/ledgerDigest/fire`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ time: new Date(time).toISOString() }),
  });
  expect(fired.status).toBe(200);
  return (await fired.json()) as { key: string; written: boolean; chains: number; previous: string | null };
};

/** Every page of /audit/verify over the two digested hours. */
const verifyAll = async () => {
  const problems: Problem[] = [];
  let cursor: string | null = null;
  let valid = true;
  do {
    const query = new URLSearchParams({
      from: new Date(hourStart).toISOString(),
      to: new Date(hourStart + HOUR).toISOString(),
      ...(cursor ? { cursor } : {}),
    });
    const page = await api<{ valid: boolean; problems: Problem[]; nextCursor: string | null }>(
      `/audit/verify?${query}`,
      { token: admin.idToken },
    );
    expect(page.status).toBe(200);
    problems.push(...page.body.problems);
    valid &&= page.body.valid;
    cursor = page.body.nextCursor;
  } while (cursor);
  return { valid, problems };
};

const problemsOf = (problems: Problem[], id: string) => problems.filter((problem) => problem.entityId === id);

const digestFile = (key: string) => join(twin().dataDir, 's3', EVIDENCE_BUCKET_NAME, `${key}._S3rver_object`);

beforeAll(async () => {
  hourStart = Math.floor(Date.now() / HOUR) * HOUR;
  admin = await loginAs('admin');
  const recruiter = await loginAs('recruiter');
  const nurse = await newStaffMember('anchored-nurse');
  for (const name of Object.keys(contracts) as (keyof typeof contracts)[]) {
    const created = await api('/contracts', {
      method: 'POST',
      token: recruiter.idToken,
      body: { staffId: nurse.staffId, ...content(`Terms of the ${name} contract.`) },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    contracts[name] = id;
    const edited = await api(`/contracts/${id}`, {
      method: 'PUT',
      token: recruiter.idToken,
      body: content(`Terms of the ${name} contract, edited.`),
      headers: { 'if-match': '"1"' },
    });
    expect(edited.status).toBe(200);
  }
  const archived = await api('/contracts', {
    method: 'POST',
    token: recruiter.idToken,
    body: { staffId: nurse.staffId, ...content('Terms of the archived contract.') },
  });
  archivedContract = archived.body.id;
  for (const version of [1, 2]) {
    const edited = await api(`/contracts/${archivedContract}`, {
      method: 'PUT',
      token: recruiter.idToken,
      body: content(`Terms of the archived contract, edit ${version}.`),
      headers: { 'if-match': `"${version}"` },
    });
    expect(edited.status).toBe(200);
  }
  await vi.waitFor(async () => expect(await chainItems(archivedContract)).toHaveLength(3), eventually);
  for (const id of Object.values(contracts)) {
    await vi.waitFor(async () => expect(await chainItems(id)).toHaveLength(2), eventually);
  }
  // The hour of these writes, then the next (whose window reaches back over this one).
  for (const time of [hourStart + HOUR + 5 * 60_000, hourStart + 2 * HOUR + 5 * 60_000]) {
    const run = await fireDigest(time);
    expect(run).toMatchObject({ written: true });
    digestKeys.push(run.key);
  }
}, 120_000);

describe('the ledger anchored in signed digests', () => {
  it('digests name the chains, link to each other and verify with the public key alone', async () => {
    const listed = await api<{ items: { key: string; previous: string | null; chains: number }[] }>(
      `/audit/digests?from=${new Date(hourStart).toISOString()}&to=${new Date(hourStart + HOUR).toISOString()}`,
      { token: admin.idToken },
    );
    const publicKey = await fetch(`${twin().urls.api}/audit/digests/public-key`);
    const object = await s3().send(
      new GetObjectCommand({ Bucket: EVIDENCE_BUCKET_NAME, Key: digestKeys[1] }),
    );
    const signed = JSON.parse(await (object.Body?.transformToString() ?? '')) as {
      digest: { chains: { entityId: string; entries: number }[]; previous: { key: string } };
      signature: { value: string };
    };

    expect(listed.status).toBe(200);
    expect(listed.body.items.map(({ key, previous }) => ({ key, previous }))).toEqual([
      { key: digestKeys[0], previous: null },
      { key: digestKeys[1], previous: digestKeys[0] },
    ]);
    expect(publicKey.status).toBe(200);
    const pem = await publicKey.text();
    expect(pem).toContain('BEGIN PUBLIC KEY');
    const bytes = Buffer.from(canonicalJson(signed.digest));
    expect(verify('sha256', bytes, createPublicKey(pem), Buffer.from(signed.signature.value, 'base64'))).toBe(
      true,
    );
    expect(
      signed.digest.chains.filter(({ entityId }) => Object.values(contracts).includes(entityId)),
    ).toHaveLength(4);
    expect(signed.digest.chains.find(({ entityId }) => entityId === contracts.untouched)?.entries).toBe(2);
  });

  it('reports nothing on the untouched ledger', async () => {
    expect(await verifyAll()).toEqual({ valid: true, problems: [] });
  });

  it('refuses to delete or replace a digest through S3 (Object Lock, conditional writes)', async () => {
    const key = digestKeys[0];
    await expect(
      s3().send(new DeleteObjectCommand({ Bucket: EVIDENCE_BUCKET_NAME, Key: key })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(
      s3().send(
        new PutObjectCommand({ Bucket: EVIDENCE_BUCKET_NAME, Key: key, Body: '{}', IfNoneMatch: '*' }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
  });

  it('reports a deleted chain, a rewritten one (hashes recomputed) and one cut short; not the untouched one', async () => {
    for (const item of await chainItems(contracts.deleted)) {
      await ledger().send(
        new DeleteCommand({ TableName: TABLE_NAMES.ledger, Key: { pk: item.pk, sk: item.sk } }),
      );
    }
    const [newest] = (await chainItems(contracts.truncated)).slice(-1);
    await ledger().send(
      new DeleteCommand({ TableName: TABLE_NAMES.ledger, Key: { pk: newest?.pk, sk: newest?.sk } }),
    );
    let prevHash = '0'.repeat(64);
    for (const item of await chainItems(contracts.rewritten)) {
      const forged = { ...(item as unknown as LedgerEntry), prevHash, summary: `${item.summary} (forged)` };
      const hash = hashOf(unhashedOf({ ...forged, hash: '' }));
      await ledger().send(
        new PutCommand({ TableName: TABLE_NAMES.ledger, Item: { ...item, ...forged, hash } }),
      );
      prevHash = hash;
    }

    const { valid, problems } = await verifyAll();

    expect(valid).toBe(false);
    expect(problemsOf(problems, contracts.deleted)).toEqual([
      {
        kind: 'chain_missing',
        entityType: 'Contract',
        entityId: contracts.deleted,
        digestKey: expect.any(String),
      },
    ]);
    expect(problemsOf(problems, contracts.rewritten)).toMatchObject([{ kind: 'chain_rewritten' }]);
    expect(problemsOf(problems, contracts.truncated)).toMatchObject([{ kind: 'chain_truncated' }]);
    expect(problemsOf(problems, contracts.untouched)).toEqual([]);
  });

  it('reports a deleted digest and an altered one', async () => {
    const [first = '', second = ''] = digestKeys;
    for (const suffix of ['object', 'metadata.json', 'object.md5']) {
      rmSync(digestFile(first).replace(/object$/, suffix), { force: true });
    }
    const altered = readFileSync(digestFile(second), 'utf8').replace('"entries":2', '"entries":1');
    writeFileSync(digestFile(second), altered);

    const { problems } = await verifyAll();

    expect(problems).toContainEqual({ kind: 'digest_missing', digestKey: first });
    expect(problems).toContainEqual({ kind: 'digest_invalid', digestKey: second });
  });

  it('reads an archived day transparently, and reports it altered', async () => {
    const [first] = await chainItems(archivedContract);
    // As if the retention (90 days) had passed since the contract's day.
    const fired = await fetch(`${twin().urls.scheduler}/schedules/ledgerArchive/fire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ time: new Date(Date.parse(String(first?.at)) + 90 * 86_400_000).toISOString() }),
    });
    expect(fired.status).toBe(200);
    const { days } = (await fired.json()) as { days: { day: string; expired: number }[] };
    // DynamoDB Local honours no TTL: the test deletes the chain's expired entries as TTL would.
    const expired = (await chainItems(archivedContract)).filter((item) => typeof item.ttl === 'number');
    for (const item of expired) {
      await ledger().send(
        new DeleteCommand({ TableName: TABLE_NAMES.ledger, Key: { pk: item.pk, sk: item.sk } }),
      );
    }
    const chain = await api<{ items: { seq: number }[] }>(`/audit/Contract/${archivedContract}`, {
      token: admin.idToken,
    });
    const untouched = problemsOf((await verifyAll()).problems, archivedContract);
    const day = String(days[0]?.day);
    const file = digestFile(`archive/${day.slice(0, 4)}/${day.slice(5, 7)}/${day.slice(8, 10)}.jsonl.gz`);
    const altered = gunzipSync(readFileSync(file))
      .toString('utf8')
      .replace('Terms of the archived contract, edit 1.', 'Terms of the archived contract, edit one.');
    writeFileSync(file, gzipSync(Buffer.from(altered)));

    const { problems } = await verifyAll();

    expect(expired.map((item) => item.sk)).toEqual(['0000000001', '0000000002']);
    expect(chain.status).toBe(200);
    expect(chain.body.items.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(untouched).toEqual([]);
    expect(problemsOf(problems, archivedContract)).toMatchObject([{ kind: 'chain_rewritten' }]);
  });
});
