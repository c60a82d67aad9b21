/** The ledger's pure parts: canonical hashing, field changes with PHI redacted, chains and their verification. */

import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { appendChange, ChangeOutOfOrder } from '#domain/audit/append.ts';
import { verifyChain } from '#domain/audit/chain.ts';
import { diffImages } from '#domain/audit/changes.ts';
import { GENESIS_HASH, hashOf, type LedgerEntry, unhashedOf } from '#domain/audit/entry.ts';
import { draftOf, type ItemChange } from '#domain/audit/item-changes.ts';
import type { LedgerWriter } from '#domain/audit/ports.ts';

const lastActor = (action: string, userId = 'user-1') => ({
  userId,
  roles: ['credentialing'],
  requestId: `req-${action}`,
  action,
});

const credential = (version: number, extra: Record<string, unknown> = {}) => ({
  pk: 'CRED#c1',
  sk: 'CRED#c1',
  kind: 'Credential',
  id: 'c1',
  staffId: 's1',
  type: 'RN',
  status: 'pending',
  number: 'RN-123456',
  version,
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: `2026-03-0${version}T09:00:00.000Z`,
  lastActor: lastActor(version === 1 ? 'create' : 'update'),
  ...extra,
});

const change = (
  newImage: Record<string, unknown>,
  oldImage?: Record<string, unknown>,
  eventId = 'e1',
): ItemChange => ({
  eventId,
  eventName: oldImage ? 'MODIFY' : 'INSERT',
  sourceKey: `${String(newImage.pk)}|${String(newImage.sk)}`,
  newImage,
  ...(oldImage ? { oldImage } : {}),
  observedAt: '2026-03-02T09:00:00.000Z',
});

/** A LedgerWriter over an array, as the table would behave (the seq is taken once). */
const memoryLedger = () => {
  const entries: LedgerEntry[] = [];
  const writer: LedgerWriter = {
    newest: async (chain, limit) =>
      entries
        .filter((entry) => entry.entityType === chain.entityType && entry.entityId === chain.entityId)
        .sort((a, b) => b.seq - a.seq)
        .slice(0, limit),
    append: async (entry) => {
      const taken = entries.some(
        (other) =>
          other.entityType === entry.entityType &&
          other.entityId === entry.entityId &&
          other.seq === entry.seq,
      );
      if (!taken) entries.push(entry);
      return !taken;
    },
  };
  return { entries, writer };
};

const appendAll = async (ledger: ReturnType<typeof memoryLedger>, changes: ItemChange[]) => {
  for (const item of changes) {
    const draft = draftOf(item);
    if (draft) await appendChange(ledger.writer, draft);
  }
};

describe('hashing', () => {
  it('hashes prevHash + the RFC 8785 canonical JSON of the entry, whatever the key order', async () => {
    const ledger = memoryLedger();
    await appendAll(ledger, [change(credential(1))]);
    const [entry] = ledger.entries;
    if (!entry) throw new Error('no entry');
    const { hash, ...rest } = entry;
    const reordered = Object.fromEntries(Object.entries(rest).reverse());
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalize(reordered))
      .digest('hex');

    expect(entry.prevHash).toBe(GENESIS_HASH);
    expect(hash).toBe(expected);
    expect(hashOf(unhashedOf(entry))).toBe(hash);
  });
});

describe('changes', () => {
  it('records changed data fields only, PHI as "[redacted]" at any depth', () => {
    const before = credential(1, { verification: undefined, dateOfBirth: '1990-01-01' });
    const after = credential(2, {
      status: 'active',
      number: 'RN-999999',
      dateOfBirth: '1990-01-02',
      verification: { by: 'u2', method: 'primary-source', note: 'called the board' },
    });

    const changes = diffImages(before, after);

    expect(changes).toEqual({
      dateOfBirth: { from: '[redacted]', to: '[redacted]' },
      number: { from: '[redacted]', to: '[redacted]' },
      status: { from: 'pending', to: 'active' },
      verification: { from: null, to: { by: 'u2', method: 'primary-source', note: '[redacted]' } },
    });
    expect(JSON.stringify(changes)).not.toMatch(/RN-|1990|called the board/);
  });

  it('treats maps with the same content in another key order as unchanged', () => {
    expect(diffImages({ rate: { a: 1, b: 2 } }, { rate: { b: 2, a: 1 } })).toEqual({});
  });
});

describe('which changes are entries', () => {
  it('skips counters, non-read membership changes, unaudited kinds and unattributed kinds', () => {
    const member = { pk: 'CONV#k', sk: 'MEMBER#u', kind: 'ConversationMember', conversationId: 'k' };
    expect(draftOf(change({ ...member, lastActor: lastActor('counters') }))).toBeUndefined();
    expect(draftOf(change({ ...member, lastActor: lastActor('create') }))).toBeUndefined();
    expect(draftOf(change({ pk: 'CONN#1', sk: 'CONN#1', kind: 'Connection' }))).toBeUndefined();
    expect(draftOf(change({ ...member, readUpTo: 'm1', lastActor: lastActor('read') }))?.chain).toEqual({
      entityType: 'Conversation',
      entityId: 'k',
    });
  });

  it('takes action, actor and request id from lastActor, and an access event its chain and summary', () => {
    const access = {
      pk: 'ACCESS#User#u1',
      sk: 'ACCESS#User#u1',
      kind: 'AccessEvent',
      entityType: 'User',
      entityId: 'u1',
      action: 'login',
      summary: 'login of user u1',
      at: '2026-03-02T08:00:00.000Z',
      version: 3,
      lastActor: { userId: 'u1', roles: ['staff'], requestId: 'lambda-1', action: 'login' },
    };
    const draft = draftOf(change(access));
    expect(draft).toMatchObject({
      chain: { entityType: 'User', entityId: 'u1' },
      position: 3,
      fields: {
        action: 'login',
        actor: { userId: 'u1', roles: ['staff'] },
        requestId: 'lambda-1',
        at: '2026-03-02T08:00:00.000Z',
        summary: 'login of user u1',
        changes: {},
      },
    });
  });
});

describe('appending and verifying a chain', () => {
  const history = () => [
    change(credential(1), undefined, 'e1'),
    change(credential(2, { status: 'active' }), credential(1), 'e2'),
    change(credential(3, { status: 'revoked' }), credential(2, { status: 'active' }), 'e3'),
  ];
  const counted = { 'CRED#c1|CRED#c1': 3 };

  it('links entries by seq and prevHash, and verifies against the count in Main', async () => {
    const ledger = memoryLedger();
    await appendAll(ledger, history());

    expect(ledger.entries.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(ledger.entries[1]?.prevHash).toBe(ledger.entries[0]?.hash);
    expect(verifyChain(ledger.entries, counted)).toEqual({
      valid: true,
      entries: 3,
      headHash: ledger.entries[2]?.hash,
    });
  });

  it('appends a replayed change once', async () => {
    const ledger = memoryLedger();
    await appendAll(ledger, [...history(), ...history()]);

    expect(ledger.entries).toHaveLength(3);
  });

  it('refuses a change that arrives before the one it follows', async () => {
    const ledger = memoryLedger();
    const [first, , third] = history();
    await appendAll(ledger, first ? [first] : []);
    const draft = third && draftOf(third);
    if (!draft) throw new Error('no draft');

    await expect(appendChange(ledger.writer, draft)).rejects.toBeInstanceOf(ChangeOutOfOrder);
  });

  it.each([
    {
      name: 'an edited entry',
      tamper: (entries: LedgerEntry[]) => {
        const second = entries[1];
        if (second) second.changes = { status: { from: 'pending', to: 'rejected' } };
      },
      brokenAt: 2,
    },
    {
      name: 'a deleted middle entry',
      tamper: (entries: LedgerEntry[]) => void entries.splice(1, 1),
      brokenAt: 2,
    },
    { name: 'the deleted newest entry', tamper: (entries: LedgerEntry[]) => void entries.pop(), brokenAt: 3 },
  ])('reports $name as broken at seq $brokenAt', async ({ tamper, brokenAt }) => {
    const ledger = memoryLedger();
    await appendAll(ledger, history());
    tamper(ledger.entries);

    expect(verifyChain(ledger.entries, counted)).toMatchObject({ valid: false, brokenAt });
  });

  it('verifies an empty chain of an entity Main never counted a change of', () => {
    expect(verifyChain([], {})).toEqual({ valid: true, entries: 0, headHash: GENESIS_HASH });
  });
});
