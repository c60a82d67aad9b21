/** Ledger entries stay bounded whatever the item holds, so no change can freeze a chain. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendChange } from '#domain/audit/append.ts';
import { verifyChain } from '#domain/audit/chain.ts';
import { ALL_FIELDS, diffImages, LARGE_VALUE_BYTES } from '#domain/audit/changes.ts';
import { canonicalJson, type LedgerEntry } from '#domain/audit/entry.ts';
import { draftOf, type ItemChange, SUMMARY_MAX_CHARS } from '#domain/audit/item-changes.ts';
import type { LedgerWriter } from '#domain/audit/ports.ts';

const ENTRY_LIMIT_BYTES = 64 * 1024;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const bytesOfEntry = (entry: object) => Buffer.byteLength(canonicalJson(entry), 'utf8');

const contract = (version: number, terms: string, extra: Record<string, unknown> = {}) => ({
  pk: 'CONTRACT#k1',
  sk: 'CONTRACT#k1',
  kind: 'Contract',
  id: 'k1',
  status: 'draft',
  terms,
  version,
  updatedAt: `2026-03-01T09:00:0${version}.000Z`,
  lastActor: {
    userId: 'u1',
    roles: ['recruiter'],
    requestId: `r${version}`,
    action: version === 1 ? 'create' : 'update',
  },
  ...extra,
});

const change = (newImage: Record<string, unknown>, oldImage?: Record<string, unknown>): ItemChange => ({
  eventId: `e${String(newImage.version)}`,
  eventName: oldImage ? 'MODIFY' : 'INSERT',
  sourceKey: 'CONTRACT#k1|CONTRACT#k1',
  newImage,
  ...(oldImage ? { oldImage } : {}),
  observedAt: '2026-03-01T09:00:00.000Z',
});

const memoryLedger = () => {
  const entries: LedgerEntry[] = [];
  const writer: LedgerWriter = {
    newest: async (_chain, limit) => [...entries].reverse().slice(0, limit),
    append: async (entry) => {
      // What DynamoDB does with an item over its limit, at the bound this ledger promises.
      if (bytesOfEntry(entry) > ENTRY_LIMIT_BYTES) throw new Error('entry too large');
      entries.push(entry);
      return true;
    },
  };
  return { entries, writer };
};

describe('bounded ledger entries', () => {
  it('records a value over 8 KB as { sha256, bytes } of its text, and keeps small values as they are', () => {
    // Prepare
    const terms = 'é'.repeat(5000);
    // Act
    const changes = diffImages(contract(1, 'short'), contract(2, terms, { status: 'offered' }));
    // Assess
    expect(changes.terms).toEqual({ from: 'short', to: { sha256: sha256(terms), bytes: 10_000 } });
    expect(changes.status).toEqual({ from: 'draft', to: 'offered' });
    expect(Buffer.byteLength(JSON.stringify('x'.repeat(LARGE_VALUE_BYTES - 2)))).toBe(LARGE_VALUE_BYTES);
    expect(diffImages(undefined, contract(1, 'x'.repeat(LARGE_VALUE_BYTES - 2))).terms?.to).toBeTypeOf(
      'string',
    );
  });

  it('keeps a chain growing and verifying through two edits of 100,000-character terms', async () => {
    // Prepare
    const ledger = memoryLedger();
    const images = [contract(1, 'a'), contract(2, '😀'.repeat(100_000)), contract(3, '€'.repeat(100_000))];
    // Act
    for (const [index, image] of images.entries()) {
      const draft = draftOf(change(image, images[index - 1]));
      if (draft) await appendChange(ledger.writer, draft);
    }
    // Assess
    expect(ledger.entries.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(ledger.entries[2]?.changes.terms?.to).toEqual({
      sha256: sha256('€'.repeat(100_000)),
      bytes: 300_000,
    });
    expect(verifyChain(ledger.entries, { 'CONTRACT#k1|CONTRACT#k1': 3 })).toMatchObject({
      valid: true,
      entries: 3,
    });
  });

  it('keeps every entry under 64 KB whatever the item holds', () => {
    // Prepare: many fields just under the digest threshold, and a huge access-event summary
    const wide = Object.fromEntries(
      Array.from({ length: 40 }, (_, index) => [`f${index}`, 'x'.repeat(LARGE_VALUE_BYTES - 10)]),
    );
    const huge = Object.fromEntries(
      Array.from({ length: 3000 }, (_, index) => [`g${index}`, 'y'.repeat(40)]),
    );
    const access = {
      pk: 'ACCESS#1',
      sk: 'ACCESS#1',
      kind: 'AccessEvent',
      entityType: 'Credential',
      entityId: 'c1',
      at: '2026-03-01T09:00:00.000Z',
      summary: 's'.repeat(200_000),
      lastActor: { userId: 'u1', roles: ['staff'], requestId: 'r', action: 'read.document' },
    };
    // Act
    const drafts = [
      draftOf(change(contract(2, 'b', wide), contract(1, 'a'))),
      draftOf(change(contract(2, 'b', huge), contract(1, 'a'))),
      draftOf(change(access)),
    ];
    // Assess
    for (const draft of drafts) {
      expect(draft).toBeDefined();
      expect(bytesOfEntry(draft?.fields ?? {})).toBeLessThan(ENTRY_LIMIT_BYTES - 4096);
      expect(draft?.fields.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    }
    expect(Object.keys(drafts[0]?.fields.changes ?? {})).toContain('f0');
    expect(Object.keys(drafts[1]?.fields.changes ?? {})).toEqual([ALL_FIELDS]);
  });

  it('records an attachment upload on its conversation chain, its name redacted', () => {
    // Prepare
    const attachment = {
      pk: 'CONV#v1',
      sk: 'ATT#a1',
      kind: 'Attachment',
      id: 'a1',
      conversationId: 'v1',
      name: 'Nia rota.pdf',
      contentType: 'application/pdf',
      size: 10,
      version: 1,
      lastActor: { userId: 'u1', roles: ['staff'], requestId: 'r', action: 'create' },
    };
    // Act
    const draft = draftOf(change(attachment));
    // Assess
    expect(draft?.chain).toEqual({ entityType: 'Conversation', entityId: 'v1' });
    expect(draft?.fields.changes.name).toEqual({ from: null, to: '[redacted]' });
  });
});
