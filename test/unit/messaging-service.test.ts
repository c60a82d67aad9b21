import { decodeTime, ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '#domain/context.ts';
import { Forbidden, NotFound, RuleViolation } from '#domain/errors.ts';
import {
  CATCH_UP_OVERLAP_MS,
  catchUpBoundary,
  idsCoveredBy,
  MAX_TRACKED_UNREAD,
  readByOf,
  unreadCountOf,
} from '#domain/messaging/rules.ts';
import { createMessagingService } from '#domain/messaging/service.ts';
import type { Role } from '#domain/roles.ts';
import { createAccessEventLog } from './support/credential-fakes.ts';
import {
  createFakeMessagingStore,
  fakeAttachmentStore,
  fakeDirectory,
  nameOf,
} from './support/messaging-fakes.ts';

const RECRUITER = '00000000-0000-4000-8000-000000000001';
const STAFF = '00000000-0000-4000-8000-000000000002';
const OTHER_STAFF = '00000000-0000-4000-8000-000000000003';
const OUTSIDER = '00000000-0000-4000-8000-000000000004';
const ROLES: Record<string, Role[]> = {
  [RECRUITER]: ['recruiter'],
  [STAFF]: ['staff'],
  [OTHER_STAFF]: ['staff'],
  [OUTSIDER]: ['credentialing'],
};

const CONTRACT = '01JCONTRACT0000000000000001';
const CONTRACT_STAFF: Record<string, string> = { [CONTRACT]: STAFF };

let clock = Date.parse('2026-03-02T09:00:00.000Z');
const as = (userId: string): ServiceContext => {
  clock += 1000;
  return { actor: { userId, roles: ROLES[userId] ?? [] }, now: new Date(clock), requestId: `req-${clock}` };
};

const setup = () => {
  const store = createFakeMessagingStore();
  const files = fakeAttachmentStore();
  const delivered: Array<{ messageId: string; participantIds: readonly string[] }> = [];
  const lookedAhead: Array<{ participantIds: readonly string[]; storedMessages: number }> = [];
  const events = createAccessEventLog();
  const service = createMessagingService({
    repository: store.repository,
    directory: fakeDirectory(ROLES),
    attachments: files,
    live: {
      messageSent: async (message, participantIds) => {
        delivered.push({ messageId: message.id, participantIds });
      },
      lookAhead: (participantIds) => {
        lookedAhead.push({ participantIds, storedMessages: store.messages.size });
      },
    },
    accessEvents: events.repository,
    contracts: { staffUserOfContract: async (contractId) => CONTRACT_STAFF[contractId] },
  });
  return { store, files, service, delivered, lookedAhead, events };
};

const opened = async () => {
  const world = setup();
  const conversation = await world.service.createConversation(as(RECRUITER), {
    participantIds: [STAFF],
    subject: 'Night shifts',
  });
  return { ...world, conversation };
};

describe('conversations about a contract', () => {
  it('links a contract whose staff member takes part', async () => {
    // Prepare
    const { service } = setup();
    // Act
    const conversation = await service.createConversation(as(RECRUITER), {
      participantIds: [STAFF],
      contractId: CONTRACT,
    });
    // Assess
    expect(conversation.contractId).toBe(CONTRACT);
  });

  it.each([
    ['an unknown contract', '01JCONTRACT0000000000000009', [STAFF]],
    ['a contract of someone who is not a participant', CONTRACT, [OTHER_STAFF]],
  ])('refuses %s with 422', async (_case, contractId, participantIds) => {
    // Prepare
    const { service, store } = setup();
    // Act
    const attempt = service.createConversation(as(RECRUITER), { participantIds, contractId });
    // Assess
    await expect(attempt).rejects.toMatchObject({ status: 422, details: { contractId: expect.any(String) } });
    expect(store.members.size).toBe(0);
  });
});

describe('conversations', () => {
  it('adds the caller, writes one membership per participant and lists it for each', async () => {
    // Prepare / Act
    const { service, store, conversation } = await opened();
    // Assess
    expect(conversation.participantIds).toEqual([RECRUITER, STAFF]);
    expect(conversation.unreadCount).toBe(0);
    expect(store.members.size).toBe(2);
    const mine = await service.listConversations(as(STAFF), { limit: 25 });
    expect(mine.items.map((item) => item.id)).toEqual([conversation.id]);
  });

  it("lists each conversation with its participants' display names, stored on every membership", async () => {
    // Prepare
    const { service, store, conversation } = await opened();
    const expected = [
      { id: RECRUITER, name: nameOf(RECRUITER) },
      { id: STAFF, name: nameOf(STAFF) },
    ];
    // Act
    const mine = await service.listConversations(as(STAFF), { limit: 25 });
    // Assess
    expect(conversation.participants).toEqual(expected);
    expect(mine.items[0]?.participants).toEqual(expected);
    for (const member of store.members.values()) expect(member.participants).toEqual(expected);
  });

  it('lists a conversation stored before names with its ids alone', async () => {
    // Prepare
    const { service, store, conversation } = await opened();
    for (const member of store.members.values()) delete member.participants;
    // Act
    const mine = await service.listConversations(as(STAFF), { limit: 25 });
    // Assess
    expect(mine.items[0]).toMatchObject({
      id: conversation.id,
      participants: [{ id: RECRUITER }, { id: STAFF }],
    });
    expect(mine.items[0]?.participants.every((participant) => participant.name === undefined)).toBe(true);
  });

  it.each([
    ['staff with staff only', STAFF, [OTHER_STAFF], Forbidden],
    ['unknown participants', RECRUITER, ['00000000-0000-4000-8000-00000000dead'], RuleViolation],
    ['only themselves', RECRUITER, [RECRUITER], RuleViolation],
  ])('refuses %s', async (_label, creator, participantIds, error) => {
    const { service } = setup();
    await expect(service.createConversation(as(creator), { participantIds })).rejects.toBeInstanceOf(error);
  });

  it('lets staff open a conversation that includes someone from the agency', async () => {
    const { service } = setup();
    const conversation = await service.createConversation(as(STAFF), {
      participantIds: [OTHER_STAFF, RECRUITER],
    });
    expect(conversation.participantIds).toEqual([STAFF, OTHER_STAFF, RECRUITER]);
  });

  it('hides a conversation from non-participants (404), for every operation', async () => {
    const { service, conversation } = await opened();
    const outsider = as(OUTSIDER);
    await expect(service.getConversation(outsider, conversation.id)).rejects.toBeInstanceOf(NotFound);
    await expect(service.sendMessage(outsider, conversation.id, { body: 'hi' })).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(service.listMessages(outsider, conversation.id, { limit: 5 })).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(service.markRead(outsider, conversation.id, ulid())).rejects.toBeInstanceOf(NotFound);
  });
});

describe('messages', () => {
  it('delivers a sent message live to every participant right after the write, again on a retry', async () => {
    // Prepare
    const { service, store, conversation, delivered } = await opened();
    // Act
    const sent = await service.sendMessage(as(STAFF), conversation.id, {
      body: 'on my way',
      clientMessageId: 'c-9',
    });
    await service.sendMessage(as(STAFF), conversation.id, { body: 'on my way', clientMessageId: 'c-9' });
    await service
      .sendMessage(as(STAFF), conversation.id, { body: 'another body', clientMessageId: 'c-9' })
      .catch(() => undefined);
    // Assess
    expect(store.messages.size).toBe(1);
    expect(delivered).toEqual([
      { messageId: sent.id, participantIds: [RECRUITER, STAFF] },
      { messageId: sent.id, participantIds: [RECRUITER, STAFF] },
    ]);
  });

  it('starts the connection lookup before the write, for the participants it then delivers to', async () => {
    // Prepare
    const { service, conversation, lookedAhead, delivered } = await opened();
    // Act
    await service.sendMessage(as(STAFF), conversation.id, { body: 'on my way' });
    // Assess
    expect(lookedAhead).toEqual([{ participantIds: [RECRUITER, STAFF], storedMessages: 0 }]);
    expect(delivered[0]?.participantIds).toBe(lookedAhead[0]?.participantIds);
  });

  it('returns the stored message for a retried clientMessageId, and refuses another body under it', async () => {
    const { service, store, conversation } = await opened();
    const first = await service.sendMessage(as(STAFF), conversation.id, {
      body: 'hello',
      clientMessageId: 'c-1',
    });
    const retry = await service.sendMessage(as(STAFF), conversation.id, {
      body: 'hello',
      clientMessageId: 'c-1',
    });
    expect(retry.id).toBe(first.id);
    expect(store.messages.size).toBe(1);
    await expect(
      service.sendMessage(as(STAFF), conversation.id, { body: 'changed', clientMessageId: 'c-1' }),
    ).rejects.toBeInstanceOf(RuleViolation);
  });

  it('refuses a replyTo that is not a message of the conversation and threads a real one', async () => {
    const { service, conversation } = await opened();
    await expect(
      service.sendMessage(as(STAFF), conversation.id, { body: 'x', replyTo: ulid() }),
    ).rejects.toBeInstanceOf(RuleViolation);
    const root = await service.sendMessage(as(RECRUITER), conversation.id, { body: 'root' });
    const reply = await service.sendMessage(as(STAFF), conversation.id, { body: 'reply', replyTo: root.id });
    expect(reply.replyTo).toBe(root.id);
  });

  it('attaches only uploaded files of the sender in this conversation', async () => {
    const { service, files, events, conversation } = await opened();
    const upload = await service.createAttachmentUpload(as(STAFF), conversation.id, {
      name: 'shift.pdf',
      contentType: 'application/pdf',
      size: 1234,
    });
    expect(upload.uploadHeaders).toEqual({ 'content-type': 'application/pdf' });
    const attach = { body: 'see file', attachmentIds: [upload.attachmentId] };
    await expect(service.sendMessage(as(STAFF), conversation.id, attach)).rejects.toBeInstanceOf(
      RuleViolation,
    );
    files.uploaded.add(`conversations/${conversation.id}/attachments/${upload.attachmentId}`);
    await expect(service.sendMessage(as(RECRUITER), conversation.id, attach)).rejects.toBeInstanceOf(
      RuleViolation,
    );
    const sent = await service.sendMessage(as(STAFF), conversation.id, attach);
    const objectKey = `conversations/${conversation.id}/attachments/${upload.attachmentId}`;
    expect(sent.attachments).toEqual([
      {
        id: upload.attachmentId,
        name: 'shift.pdf',
        contentType: 'application/pdf',
        size: 1234,
        sha256: `sha256-${objectKey}`,
      },
    ]);
    const download = await service.attachmentDownload(as(RECRUITER), conversation.id, upload.attachmentId);
    expect(download.downloadUrl).toContain(upload.attachmentId);
    expect(download.downloadUrl).not.toContain('shift');
    expect(events.events.map((event) => [event.action, event.entityType, event.entityId])).toEqual([
      ['read.attachment', 'Conversation', conversation.id],
    ]);
  });

  it('refuses to send an attachment whose bytes are not what its type says (422)', async () => {
    // Prepare: the fake store's bytes are a PDF
    const { service, files, conversation } = await opened();
    const upload = await service.createAttachmentUpload(as(STAFF), conversation.id, {
      name: 'photo.png',
      contentType: 'image/png',
      size: 10,
    });
    files.uploaded.add(`conversations/${conversation.id}/attachments/${upload.attachmentId}`);
    // Act
    const refused = service.sendMessage(as(STAFF), conversation.id, {
      body: 'x',
      attachmentIds: [upload.attachmentId],
    });
    // Assess
    await expect(refused).rejects.toBeInstanceOf(RuleViolation);
    await expect(refused).rejects.toThrow(/image\/png signature/);
  });

  it('refuses an attachment whose name does not fit its type (x.html as a PDF) with 422', async () => {
    // Prepare
    const { service, conversation } = await opened();
    // Act
    const refused = service.createAttachmentUpload(as(STAFF), conversation.id, {
      name: 'x.html',
      contentType: 'application/pdf',
      size: 10,
    });
    // Assess
    await expect(refused).rejects.toBeInstanceOf(RuleViolation);
  });

  it('shows readBy from receipts and never moves a receipt backwards', async () => {
    const { service, store, conversation } = await opened();
    const first = await service.sendMessage(as(RECRUITER), conversation.id, { body: 'one' });
    const second = await service.sendMessage(as(RECRUITER), conversation.id, { body: 'two' });
    await service.markRead(as(STAFF), conversation.id, second.id);
    await service.markRead(as(STAFF), conversation.id, first.id);
    expect(store.members.get(`${conversation.id}|${STAFF}`)?.readUpTo).toBe(second.id);
    const page = await service.listMessages(as(RECRUITER), conversation.id, { limit: 10 });
    expect(page.items.map((message) => message.id)).toEqual([second.id, first.id]);
    expect(Object.keys(page.items[0]?.readBy ?? {})).toEqual([STAFF]);
  });

  it('catches up oldest first from 5 s before the named message', async () => {
    const { service, conversation } = await opened();
    const sent = [];
    for (const body of ['a', 'b', 'c'])
      sent.push(await service.sendMessage(as(RECRUITER), conversation.id, { body }));
    const page = await service.listMessages(as(STAFF), conversation.id, { after: sent[2]?.id, limit: 10 });
    // Sent a second apart: the overlap reaches back over the two before it.
    expect(page.items.map((message) => message.body)).toEqual(['a', 'b', 'c']);
  });
});

describe('rules', () => {
  it('counts only unread ids past the receipt, and finds the ones a receipt covers', () => {
    expect(unreadCountOf({ unreadIds: ['01A', '01B', '01C'], readUpTo: '01A' })).toBe(2);
    expect(unreadCountOf({ unreadIds: ['01A'] })).toBe(1);
    expect(idsCoveredBy(['01A', '01B', '01C'], '01B')).toEqual(['01A', '01B']);
  });

  it('shows at most MAX_TRACKED_UNREAD, even for a set filled under the earlier cap of 1,000', () => {
    const ids = Array.from({ length: 1_000 }, (_, index) => `01J${String(index).padStart(23, '0')}`);
    expect(MAX_TRACKED_UNREAD).toBe(100);
    expect(unreadCountOf({ unreadIds: ids })).toBe(100);
    expect(unreadCountOf({ unreadIds: ids, readUpTo: ids[949] })).toBe(50);
  });

  it('puts the catch-up boundary exactly the overlap before the message time', () => {
    const id = ulid(Date.parse('2026-03-02T09:00:10.000Z'));
    expect(decodeTime(catchUpBoundary(id))).toBe(decodeTime(id) - CATCH_UP_OVERLAP_MS);
    expect(catchUpBoundary(id) < id).toBe(true);
  });

  it('leaves the sender out of readBy', () => {
    const readBy = readByOf({ id: '01B', senderId: 'a' }, [
      { userId: 'a', readUpTo: '01Z', readAt: 't1' },
      { userId: 'b', readUpTo: '01B', readAt: 't2' },
      { userId: 'c', readUpTo: '01A', readAt: 't3' },
    ]);
    expect(readBy).toEqual({ b: 't2' });
  });
});
