/** Chain heads carried between appends: fewer reads, the same exactly-once chain. */
import { describe, expect, it } from 'vitest';
import { appendChange, REPLAY_WINDOW } from '#domain/audit/append.ts';
import { verifyChain } from '#domain/audit/chain.ts';
import { createChainHeads } from '#domain/audit/chain-heads.ts';
import type { LedgerEntry } from '#domain/audit/entry.ts';
import { draftOf, type EntryDraft } from '#domain/audit/item-changes.ts';
import type { LedgerWriter } from '#domain/audit/ports.ts';

const actor = { userId: 'user-1', roles: ['credentialing'], requestId: 'req-1', action: 'update' };

/** Version `version` of credential c1, as its stream record `eventId` carries it. */
const versionOf = (version: number, eventId = `e${version}`): EntryDraft => {
  const image = (v: number) => ({
    pk: 'CRED#c1',
    sk: 'CRED#c1',
    kind: 'Credential',
    id: 'c1',
    staffId: 's1',
    status: `status-${v}`,
    version: v,
    updatedAt: `2026-03-02T09:00:0${v % 10}.000Z`,
    lastActor: actor,
  });
  const draft = draftOf({
    eventId,
    eventName: version === 1 ? 'INSERT' : 'MODIFY',
    sourceKey: 'CRED#c1|CRED#c1',
    newImage: image(version),
    ...(version === 1 ? {} : { oldImage: image(version - 1) }),
    observedAt: '2026-03-02T09:00:00.000Z',
  });
  if (!draft) throw new Error('not audited');
  return draft;
};

/** A change of an item without a version: recognised on replay by its record id only. */
const unversioned = (eventId: string): EntryDraft => {
  const { position: _position, ...draft } = versionOf(1, eventId);
  return draft;
};

/** The table's behaviour (a seq is taken once), counting the reads. */
const countingLedger = () => {
  const entries: LedgerEntry[] = [];
  const reads: number[] = [];
  const writer: LedgerWriter = {
    newest: async (_chain, limit) => {
      reads.push(limit);
      return [...entries].sort((a, b) => b.seq - a.seq).slice(0, limit);
    },
    append: async (entry) => {
      const taken = entries.some((other) => other.seq === entry.seq);
      if (!taken) entries.push(entry);
      return !taken;
    },
  };
  return { entries, reads, writer };
};

describe('carried chain heads', () => {
  it('reads a chain once, then appends each next change with its Put alone', async () => {
    // Prepare
    const ledger = countingLedger();
    const heads = createChainHeads(10);
    // Act
    for (const version of [1, 2, 3, 4]) await appendChange(ledger.writer, versionOf(version), heads);
    // Assess
    expect(ledger.reads).toEqual([1]);
    expect(verifyChain(ledger.entries, { 'CRED#c1|CRED#c1': 4 })).toMatchObject({ valid: true, entries: 4 });
  });

  it('appends after another writer: the taken seq sends it back to the chain', async () => {
    // Prepare: this container carries the head after version 1; another appends version 2
    const ledger = countingLedger();
    const heads = createChainHeads(10);
    await appendChange(ledger.writer, versionOf(1), heads);
    await appendChange(ledger.writer, versionOf(2));
    // Act
    await appendChange(ledger.writer, versionOf(3), heads);
    // Assess
    expect(ledger.entries.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(verifyChain(ledger.entries, { 'CRED#c1|CRED#c1': 3 })).toMatchObject({ valid: true });
  });

  it('reads the chain before calling a change out of order on a head that fell behind', async () => {
    // Prepare: versions 2 and 3 appended elsewhere; version 4 here looks two ahead of the carried head
    const ledger = countingLedger();
    const heads = createChainHeads(10);
    await appendChange(ledger.writer, versionOf(1), heads);
    await appendChange(ledger.writer, versionOf(2));
    await appendChange(ledger.writer, versionOf(3));
    // Act
    const outcome = await appendChange(ledger.writer, versionOf(4), heads);
    // Assess
    expect(outcome).toBe('appended');
    expect(ledger.entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
  });

  it('recognises a replay appended by another writer since, without a second entry', async () => {
    const ledger = countingLedger();
    const heads = createChainHeads(10);
    await appendChange(ledger.writer, versionOf(1), heads);
    await appendChange(ledger.writer, versionOf(2));

    expect(await appendChange(ledger.writer, versionOf(2), heads)).toBe('replayed');
    expect(ledger.entries).toHaveLength(2);
  });

  it('looks for an unversioned replay in a full window, never in a head read for one entry', async () => {
    // Prepare: the head was carried from a versioned append (read with limit 1)
    const ledger = countingLedger();
    const heads = createChainHeads(10);
    await appendChange(ledger.writer, unversioned('u1'));
    await appendChange(ledger.writer, unversioned('u2'));
    await appendChange(ledger.writer, versionOf(1), heads);
    // Act
    const outcome = await appendChange(ledger.writer, unversioned('u1'), heads);
    // Assess
    expect(outcome).toBe('replayed');
    expect(ledger.reads).toEqual([REPLAY_WINDOW, REPLAY_WINDOW, 1, REPLAY_WINDOW]);
    expect(ledger.entries).toHaveLength(3);
  });

  it('keeps the heads of the most recent chains only', () => {
    const heads = createChainHeads(2);
    const head = { seq: 1, hash: 'h', positions: {}, eventIds: [], fullWindow: true };
    heads.set('a', head);
    heads.set('b', head);
    heads.get('a');
    heads.set('a', head);
    heads.set('c', head);

    expect([heads.get('a'), heads.get('b'), heads.get('c')].map(Boolean)).toEqual([true, false, true]);
  });
});

/** A sent message's creation, as its stream record `eventId` carries it: immutable, alone in its chain. */
const messageCreated = (eventId = 'm1'): EntryDraft => {
  const draft = draftOf({
    eventId,
    eventName: 'INSERT',
    sourceKey: 'CONV#c1|MSG#m1',
    newImage: {
      pk: 'CONV#c1',
      sk: 'MSG#m1',
      kind: 'Message',
      id: 'm1',
      conversationId: 'c1',
      body: 'On my way',
      version: 1,
      updatedAt: '2026-03-02T09:00:00.000Z',
      lastActor: { ...actor, action: 'create' },
    },
    observedAt: '2026-03-02T09:00:00.000Z',
  });
  if (!draft) throw new Error('not audited');
  return draft;
};

describe('chains opened by an immutable item', () => {
  it("appends a message's creation with its Put alone: its chain is known to be empty", async () => {
    // Prepare
    const ledger = countingLedger();
    // Act
    const outcome = await appendChange(ledger.writer, messageCreated(), createChainHeads(10));
    // Assess
    expect(outcome).toBe('appended');
    expect(ledger.reads).toEqual([]);
    expect(verifyChain(ledger.entries, { 'CONV#c1|MSG#m1': 1 })).toMatchObject({ valid: true, entries: 1 });
  });

  it('recognises a replayed creation (seq 1 taken) on a fresh read, without a second entry', async () => {
    // Prepare: another container appended the creation; this one carries nothing
    const ledger = countingLedger();
    await appendChange(ledger.writer, messageCreated(), createChainHeads(10));
    // Act
    const outcome = await appendChange(ledger.writer, messageCreated(), createChainHeads(10));
    // Assess
    expect(outcome).toBe('replayed');
    expect(ledger.reads).toEqual([1]);
    expect(ledger.entries).toHaveLength(1);
  });

  it('leaves every other kind to read its chain first', () => {
    expect(messageCreated().opensChain).toBe(true);
    expect(versionOf(1).opensChain).toBeUndefined();
  });
});
