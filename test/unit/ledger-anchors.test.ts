/**
 * The ledger's anchors as pure parts and adapters: digests (periods, keys, heads), the verdicts
 * of /audit/verify on each kind of tampering, the digest run against in-memory stores, and the
 * two signers (KMS through aws-sdk-client-mock, the twin's key file) behind one interface.
 */
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { kmsSigner, localSigner } from '#data/ledger-signer.ts';
import { chainProblem, digestProblem, linkProblem, type NamedHead } from '#domain/audit/anchor-check.ts';
import { createLedgerAnchors } from '#domain/audit/anchors.ts';
import {
  digestKeyOf,
  headsOf,
  periodOf,
  type SignedDigest,
  sha256Hex,
  signedBytesOf,
} from '#domain/audit/digest.ts';
import { createDigestRun } from '#domain/audit/digest-run.ts';
import { GENESIS_HASH, type LedgerEntry, sealEntry } from '#domain/audit/entry.ts';
import type { LedgerReader } from '#domain/audit/ports.ts';
import type { Actor } from '#domain/policy.ts';
import { memoryEvidenceStore } from '../support/memory-evidence-store.ts';

const chainOf = (entityId: string, count: number, at = '2026-03-01T09:30:00.000Z'): LedgerEntry[] => {
  const entries: LedgerEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const entry = sealEntry({
      entityType: 'Contract',
      entityId,
      seq,
      action: seq === 1 ? 'create' : 'update',
      actor: { userId: 'u1', roles: ['recruiter'] },
      requestId: `r${seq}`,
      at,
      summary: `change ${seq}`,
      changes: {},
      prevHash,
      eventId: `e${seq}`,
      sourceKey: 'CONTRACT#c|CONTRACT#c',
      positions: { 'CONTRACT#c|CONTRACT#c': seq },
    });
    entries.push(entry);
    prevHash = entry.hash;
  }
  return entries;
};

const headOf = (entries: LedgerEntry[], digestKey = 'digests/2026/03/01/09.json'): NamedHead => {
  const [head] = headsOf(entries);
  if (!head) throw new Error('no head');
  return { ...head, digestKey };
};

describe('digests', () => {
  it('cover the hour before the run, keyed by that hour', () => {
    const period = periodOf(new Date('2026-03-01T10:05:00Z'));

    expect(period).toEqual({ from: new Date('2026-03-01T09:00:00Z'), to: new Date('2026-03-01T10:00:00Z') });
    expect(digestKeyOf(period.from)).toBe('digests/2026/03/01/09.json');
  });

  it('name each chain once, at its newest seq', () => {
    const entries = [...chainOf('a', 3), ...chainOf('b', 1)];

    expect(headsOf(entries.reverse()).map(({ entityId, entries: count }) => [entityId, count])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
  });
});

describe('a chain against the heads digests named', () => {
  const chain = chainOf('c', 3);
  const head = headOf(chain);

  it('is fine as digested, and still fine once it has grown', () => {
    expect(chainProblem(chain, [head])).toBeUndefined();
    expect(chainProblem(chainOf('c', 5), [head])).toBeUndefined();
  });

  it('is missing, truncated or rewritten (even with every hash recomputed)', () => {
    const rewritten = chainOf('c', 3, '2026-03-01T09:31:00.000Z');

    expect(chainProblem([], [head])).toMatchObject({ kind: 'chain_missing', entityId: 'c' });
    expect(chainProblem(chain.slice(0, 2), [head])).toMatchObject({ kind: 'chain_truncated' });
    expect(chainProblem(rewritten, [head])).toMatchObject({ kind: 'chain_rewritten' });
  });

  it('is rewritten when an entry was edited in place without rehashing', () => {
    const edited = chain.map((entry) => (entry.seq === 1 ? { ...entry, summary: 'edited' } : entry));

    expect(chainProblem(edited, [head])).toMatchObject({ kind: 'chain_rewritten' });
  });

  it('is forked when digests disagree on it, or it lost a head an older digest named', () => {
    const rewritten = chainOf('c', 3, '2026-03-01T09:31:00.000Z');
    const older = headOf(chainOf('c', 2), 'digests/2026/03/01/08.json');
    const newer = headOf(rewritten.slice(0, 3), 'digests/2026/03/01/10.json');

    expect(chainProblem(rewritten, [older, newer])).toMatchObject({
      kind: 'chain_forked',
      digestKey: older.digestKey,
    });
    expect(chainProblem(chain, [head, newer])).toMatchObject({ kind: 'chain_forked' });
  });
});

describe('a digest object and its link', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const check = (bytes: Buffer, signature: Buffer) => verify('sha256', bytes, publicKey, signature);
  const digest = {
    version: 1 as const,
    period: { from: 'a', to: 'b' },
    window: { from: 'a', to: 'b' },
    createdAt: 'c',
    chains: [],
    previous: null,
  };
  const objectOf = (signed: SignedDigest) => Buffer.from(JSON.stringify(signed));
  const signed: SignedDigest = {
    digest,
    signature: {
      algorithm: 'ECDSA_SHA_256',
      keyId: 'k',
      value: sign('sha256', signedBytesOf(digest), privateKey).toString('base64'),
    },
  };

  it('holds when signed by the key, fails when altered or unreadable', () => {
    const altered = { ...signed, digest: { ...digest, createdAt: 'd' } };

    expect(digestProblem('k1', objectOf(signed), check)).toBeUndefined();
    expect(digestProblem('k1', objectOf(altered), check)).toEqual({
      kind: 'digest_invalid',
      digestKey: 'k1',
    });
    expect(digestProblem('k1', Buffer.from('not json'), check)).toEqual({
      kind: 'digest_invalid',
      digestKey: 'k1',
    });
  });

  it('links to bytes with the recorded hash; missing or other bytes are reported', () => {
    const bytes = objectOf(signed);
    const link = { key: 'k0', sha256: sha256Hex(bytes) };

    expect(linkProblem(link, bytes)).toBeUndefined();
    expect(linkProblem(link, undefined)).toEqual({ kind: 'digest_missing', digestKey: 'k0' });
    expect(linkProblem(link, Buffer.from('x'))).toEqual({ kind: 'digest_invalid', digestKey: 'k0' });
  });
});

const readerOver = (entries: LedgerEntry[]): LedgerReader => ({
  chainPage: async (chain) => ({
    items: entries.filter((entry) => entry.entityId === chain.entityId),
    next: undefined,
  }),
  search: async (query) => ({
    items: entries.filter((entry) => entry.at >= (query.from ?? '') && entry.at <= query.to),
    next: undefined,
  }),
});

describe('the digest run and /audit/verify over in-memory stores', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiftline-signer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const admin = {
    actor: { userId: 'a', roles: ['admin'] } as Actor,
    now: new Date('2026-03-01T12:00:00Z'),
    requestId: 'r',
  };

  it('writes each hour once, linked to the one before, and verifies until an entry is lost', async () => {
    const entries = [...chainOf('c', 2), ...chainOf('d', 1)];
    const store = memoryEvidenceStore();
    const signer = localSigner(join(dir, 'key.pem'));
    const run = createDigestRun({ reader: readerOver(entries), store, signer });
    const anchors = createLedgerAnchors({ reader: readerOver(entries), store, signer });

    const first = await run(new Date('2026-03-01T10:05:00Z'), new Date());
    const again = await run(new Date('2026-03-01T10:06:00Z'), new Date());
    const second = await run(new Date('2026-03-01T11:05:00Z'), new Date());
    const range = { from: '2026-03-01T09:00:00Z', to: '2026-03-01T11:00:00Z' };
    const clean = await anchors.verify(admin, range);
    entries.pop();
    const tampered = await anchors.verify(admin, range);

    expect(first).toEqual({ key: 'digests/2026/03/01/09.json', written: true, chains: 2, previous: null });
    expect(again).toMatchObject({ written: false });
    expect(second).toEqual({
      key: 'digests/2026/03/01/10.json',
      written: true,
      chains: 2,
      previous: first.key,
    });
    expect(clean).toEqual({ valid: true, checked: 4, problems: [] });
    expect(tampered.problems).toEqual([
      { kind: 'chain_missing', entityType: 'Contract', entityId: 'd', digestKey: expect.any(String) },
    ]);
  });

  it('refuses a range over 31 days and callers other than admins', async () => {
    const anchors = createLedgerAnchors({
      reader: readerOver([]),
      store: memoryEvidenceStore(),
      signer: localSigner(join(dir, 'key.pem')),
    });
    const credentialing = { ...admin, actor: { userId: 'c', roles: ['credentialing'] } as Actor };

    await expect(anchors.verify(admin, { from: '2026-01-01', to: '2026-03-01' })).rejects.toMatchObject({
      status: 422,
    });
    await expect(anchors.verify(credentialing, {})).rejects.toMatchObject({ status: 403 });
  });
});

describe('signers', () => {
  it('KMS: signs the SHA-256 of the message as a digest and serves the public key as PEM', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kms = mockClient(KMSClient);
    const message = Buffer.from('{"digest":1}');
    // KMS signs the digest it is given: an ECDSA signature over SHA-256(message) is exactly that.
    kms.on(SignCommand).callsFake((input: { Message: Uint8Array }) => {
      if (Buffer.from(input.Message).toString('hex') !== sha256Hex(message))
        throw new Error('not the digest');
      return { Signature: sign('sha256', message, privateKey) };
    });
    kms.on(GetPublicKeyCommand).resolves({ PublicKey: publicKey.export({ type: 'spki', format: 'der' }) });
    const signer = kmsSigner(new KMSClient({ region: 'us-east-1' }), 'arn:aws:kms:us-east-1:1:key/k');

    const signature = await signer.sign(message);
    const pem = await signer.publicKeyPem();

    expect(kms.commandCalls(SignCommand)[0]?.args[0].input).toMatchObject({
      KeyId: 'arn:aws:kms:us-east-1:1:key/k',
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
      Message: Buffer.from(sha256Hex(message), 'hex'),
    });
    expect(verify('sha256', message, createPublicKey(pem), signature)).toBe(true);
    kms.restore();
  });

  it('local: keeps one key pair in its file, so signatures verify across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shiftline-signer-'));
    try {
      const file = join(dir, 'keys', 'ledger.pem');
      const message = Buffer.from('digest');
      const signature = await localSigner(file).sign(message);
      const pem = await localSigner(file).publicKeyPem();

      expect(verify('sha256', message, createPublicKey(pem), signature)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
