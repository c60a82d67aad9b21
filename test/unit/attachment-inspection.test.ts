/** Attachments inspected when their bytes land: accepted, or marked rejected and deleted; judged once. */
import { describe, expect, it } from 'vitest';
import { createAttachmentInspection } from '#domain/messaging/attachment-inspection.ts';
import type { AttachmentRecord } from '#domain/messaging/ports.ts';

const context = {
  actor: { userId: 'system', roles: [] },
  now: new Date('2026-03-01T10:00:00Z'),
  requestId: 's3:1',
};
const OBJECT_KEY = 'conversations/c1/attachments/a1';

const setup = (head: string, stored: Partial<AttachmentRecord> = {}) => {
  const attachment: AttachmentRecord = {
    id: 'a1',
    conversationId: 'c1',
    uploaderId: 'u1',
    objectKey: OBJECT_KEY,
    name: 'photo.png',
    contentType: 'image/png',
    size: 100,
    createdAt: '2026-03-01T09:59:00Z',
    ...stored,
  };
  const marked: string[] = [];
  const removed: string[] = [];
  const inspection = createAttachmentInspection({
    attachments: {
      get: async () => attachment,
      markRejected: async (_attachment, reason) => {
        marked.push(reason);
        return true;
      },
    },
    store: {
      head: async () => new Uint8Array(Buffer.from(head, 'latin1')),
      remove: async (key) => {
        removed.push(key);
      },
    },
  });
  return { inspection, marked, removed };
};

describe('an attachment landing', () => {
  it('is accepted when its bytes carry its type', async () => {
    const { inspection, marked, removed } = setup('\x89PNG\r\n\x1a\n0000');

    expect(
      await inspection.inspect(context, { conversationId: 'c1', attachmentId: 'a1', objectKey: OBJECT_KEY }),
    ).toBe('accepted');
    expect([marked, removed]).toEqual([[], []]);
  });

  it('is marked rejected with the reason, then deleted, when they do not', async () => {
    const { inspection, marked, removed } = setup('<html><script>');

    const outcome = await inspection.inspect(context, {
      conversationId: 'c1',
      attachmentId: 'a1',
      objectKey: OBJECT_KEY,
    });

    expect(outcome).toBe('rejected');
    expect(marked).toHaveLength(1);
    expect(removed).toEqual([OBJECT_KEY]);
  });

  it('is left alone once judged, or when the key is not its own', async () => {
    const judged = setup('<html>', { status: 'rejected', rejectedReason: 'x' });
    const other = setup('<html>');

    expect(
      await judged.inspection.inspect(context, {
        conversationId: 'c1',
        attachmentId: 'a1',
        objectKey: OBJECT_KEY,
      }),
    ).toBe('ignored');
    expect(
      await other.inspection.inspect(context, {
        conversationId: 'c1',
        attachmentId: 'a1',
        objectKey: 'conversations/c1/x',
      }),
    ).toBe('ignored');
    expect([...judged.removed, ...other.removed]).toEqual([]);
  });
});
