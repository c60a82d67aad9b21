/**
 * Messaging story on the twin through @shiftline/client (typed calls and its WebSocket client):
 * a recruiter and a staff member talk, the credentialing user (not a participant) hears
 * nothing, receipts travel back, an offline client catches up over HTTP, and fifty clients
 * sending at once lose and duplicate nothing. Raw HTTP only for a body the client's types
 * refuse (someone else's receipt) and for the presigned object URLs.
 */
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FrameOf, ServerFrame, ShiftlineClient } from '../../packages/client/src/index.ts';
import { clientAs, type LiveSocket, openLive } from './support/clients.ts';
import { api, eventually, loginAs } from './support/twin.ts';

const created = (messageId: string) => (frame: ServerFrame) =>
  frame.type === 'message.created' && frame.message.id === messageId;

const userIdOf = (client: ShiftlineClient) => client.session()?.user.id ?? '';

const openConversation = async (
  client: ShiftlineClient,
  participantIds: string[],
  subject = 'Night shifts',
) => {
  const response = await client.api.POST('/conversations', { body: { participantIds, subject } });
  expect(response.response.status).toBe(201);
  return response.data?.id ?? '';
};

/** Sends over the socket; the client resolves on the `ack` and rejects on an `error` frame. */
const sendOverWs = (live: LiveSocket, conversationId: string, body: string) =>
  live.socket.sendMessage(conversationId, body);

describe('messaging between a recruiter and a staff member', () => {
  it('delivers a message to every participant connection, the sender’s other tab included, and to nobody else', async () => {
    const [recruiter, staff, credentialing] = await Promise.all([
      clientAs('recruiter'),
      clientAs('staff'),
      clientAs('credentialing'),
    ]);
    const conversationId = await openConversation(recruiter, [userIdOf(staff)]);
    const sentinelConversation = await openConversation(recruiter, [userIdOf(credentialing)], 'Sentinel');
    const [tab1, tab2, staffWs, outsider] = await Promise.all([
      openLive(recruiter),
      openLive(recruiter),
      openLive(staff),
      openLive(credentialing),
    ]);
    try {
      const messageId = await sendOverWs(tab1, conversationId, 'Can you cover Friday night?');
      const received = await staffWs.next(created(messageId));
      expect(received).toMatchObject({
        conversationId,
        message: { senderId: userIdOf(recruiter), body: 'Can you cover Friday night?' },
      });
      await tab2.next(created(messageId));

      // The stream is delivered in order: once the outsider gets a later message of their own
      // conversation, the first one would already have reached them had it been sent to them.
      const sentinelId = await sendOverWs(tab1, sentinelConversation, 'sentinel');
      await outsider.next(created(sentinelId));
      expect(
        outsider.frames.some((frame) => 'conversationId' in frame && frame.conversationId === conversationId),
      ).toBe(false);
      const hidden = await credentialing.api.GET('/conversations/{id}', {
        params: { path: { id: conversationId } },
      });
      expect(hidden.response.status).toBe(404);
    } finally {
      for (const live of [tab1, tab2, staffWs, outsider]) live.close();
    }
  });

  it("lists conversations with the participants' display names, to participants only", async () => {
    const [recruiter, staff, credentialing] = await Promise.all([
      clientAs('recruiter'),
      clientAs('staff'),
      clientAs('credentialing'),
    ]);
    const conversationId = await openConversation(recruiter, [userIdOf(staff)], 'Names');

    const mine = await staff.api.GET('/conversations', { params: { query: { limit: 100 } } });
    const theirs = await credentialing.api.GET('/conversations', { params: { query: { limit: 100 } } });

    const listed = mine.data?.items.find((item) => item.id === conversationId);
    expect(listed?.participants).toEqual([
      { id: userIdOf(recruiter), name: recruiter.session()?.user.name },
      { id: userIdOf(staff), name: staff.session()?.user.name },
    ]);
    expect(recruiter.session()?.user.name).toEqual(expect.any(String));
    expect(theirs.data?.items.map((item) => item.id)).not.toContain(conversationId);
  });

  it('sends read receipts back to the sender and clears the unread count', async () => {
    const [recruiter, staff] = await Promise.all([clientAs('recruiter'), clientAs('staff')]);
    const conversationId = await openConversation(recruiter, [userIdOf(staff)]);
    const id = { params: { path: { id: conversationId } } };
    const [recruiterWs, staffWs] = await Promise.all([openLive(recruiter), openLive(staff)]);
    try {
      const messageId = await sendOverWs(recruiterWs, conversationId, 'Badge pickup at 7');
      await staffWs.next(created(messageId));
      // The notify consumer keeps the count, off the send path.
      const unreadCount = async () => (await staff.api.GET('/conversations/{id}', id)).data?.unreadCount;
      await expect.poll(unreadCount, eventually).toBe(1);

      staffWs.socket.send({ action: 'markRead', conversationId, upToMessageId: messageId });
      const receipt = await recruiterWs.next<FrameOf<'message.read'>>(
        (frame) => frame.type === 'message.read' && frame.upToMessageId === messageId,
      );
      expect(receipt).toMatchObject({ conversationId, userId: userIdOf(staff) });
      await expect.poll(unreadCount, eventually).toBe(0);
      const messages = await recruiter.api.GET('/conversations/{id}/messages', id);
      expect(Object.keys(messages.data?.items[0]?.readBy ?? {})).toEqual([userIdOf(staff)]);
      // Someone else's receipt cannot be written: the body names no user, the caller is the reader.
      // The client's types have no such field: raw HTTP sends it.
      const foreign = await api(`/conversations/${conversationId}/read`, {
        method: 'POST',
        token: (await loginAs('staff')).idToken,
        body: { upToMessageId: messageId, userId: userIdOf(recruiter) },
      });
      expect(foreign.status).toBe(400);
    } finally {
      recruiterWs.close();
      staffWs.close();
    }
  });

  it('lets a client that was offline catch up with ?after=, and a retried send is the same message', async () => {
    const [recruiter, staff] = await Promise.all([clientAs('recruiter'), clientAs('staff')]);
    const conversationId = await openConversation(recruiter, [userIdOf(staff)]);
    const id = { params: { path: { id: conversationId } } };
    let staffWs = await openLive(staff);
    const recruiterWs = await openLive(recruiter);
    const seen = await sendOverWs(recruiterWs, conversationId, 'before going offline');
    recruiterWs.close();
    await staffWs.next(created(seen));
    staffWs.close();

    const missed: string[] = [];
    for (const body of ['one', 'two', 'three']) {
      const clientMessageId = randomUUID();
      const sent = await recruiter.api.POST('/conversations/{id}/messages', {
        ...id,
        body: { body, clientMessageId },
      });
      expect(sent.response.status).toBe(201);
      const retried = await recruiter.api.POST('/conversations/{id}/messages', {
        ...id,
        body: { body, clientMessageId },
      });
      expect(retried.response.status).toBe(201);
      expect(retried.data?.id).toBe(sent.data?.id);
      missed.push(sent.data?.id ?? '');
    }

    staffWs = await openLive(staff);
    try {
      const caughtUp = await staff.api.GET('/conversations/{id}/messages', {
        params: { path: { id: conversationId }, query: { after: seen } },
      });
      expect(caughtUp.response.status).toBe(200);
      const ids = [...new Set(caughtUp.data?.items.map((message) => message.id))];
      // The overlap returns the last message seen again; deduped, the rest is what was missed, in order.
      expect(ids.filter((messageId) => messageId !== seen)).toEqual(missed);
      expect((await staff.api.GET('/conversations/{id}/messages', id)).data?.items).toHaveLength(4);
    } finally {
      staffWs.close();
    }
  });

  it('stores and delivers every message of fifty clients sending at once exactly once per connection', async () => {
    const [recruiter, staff] = await Promise.all([clientAs('recruiter'), clientAs('staff')]);
    const conversationId = await openConversation(recruiter, [userIdOf(staff)]);
    const sockets = await Promise.all(
      Array.from({ length: 50 }, (_, index) => openLive(index % 2 === 0 ? recruiter : staff)),
    );
    try {
      const ids = await Promise.all(
        sockets.map((live, index) => sendOverWs(live, conversationId, `concurrent ${index}`)),
      );
      expect(new Set(ids).size).toBe(50);
      await Promise.all(
        sockets.map((live) => Promise.all(ids.map((messageId) => live.next(created(messageId), 30_000)))),
      );
      for (const live of sockets) {
        const deliveredIds = live.frames.flatMap((frame) =>
          frame.type === 'message.created' ? [frame.message.id] : [],
        );
        expect(new Set(deliveredIds)).toEqual(new Set(ids));
      }
      const stored = await staff.api.GET('/conversations/{id}/messages', {
        params: { path: { id: conversationId }, query: { limit: 100 } },
      });
      expect(stored.data?.items.map((message) => message.id).sort()).toEqual([...ids].sort());
    } finally {
      for (const live of sockets) live.close();
    }
  });

  it('shares an attachment through presigned URLs with participants only', async () => {
    const [recruiter, staff, credentialing] = await Promise.all([
      clientAs('recruiter'),
      clientAs('staff'),
      clientAs('credentialing'),
    ]);
    const conversationId = await openConversation(recruiter, [userIdOf(staff)]);
    const id = { params: { path: { id: conversationId } } };
    const bytes = Buffer.from('%PDF-1.4 rota for March');
    const upload = await staff.api.POST('/conversations/{id}/attachments', {
      ...id,
      body: { name: 'rota.pdf', contentType: 'application/pdf', size: bytes.length },
    });
    expect(upload.response.status).toBe(201);
    const { uploadUrl = '', uploadHeaders = {}, attachmentId = '' } = upload.data ?? {};
    // The object store's presigned URL, not the API: plain fetch, as a browser's PUT would be.
    const put = await fetch(uploadUrl, { method: 'PUT', headers: uploadHeaders, body: bytes });
    expect(put.status).toBe(200);

    const sent = await staff.api.POST('/conversations/{id}/messages', {
      ...id,
      body: { body: 'March rota attached', attachmentIds: [attachmentId] },
    });
    expect(sent.response.status).toBe(201);
    expect(sent.data?.attachments).toEqual([
      {
        id: attachmentId,
        name: 'rota.pdf',
        contentType: 'application/pdf',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    ]);
    const attachment = { params: { path: { id: conversationId, attachmentId } } };
    const download = await recruiter.api.GET('/conversations/{id}/attachments/{attachmentId}', attachment);
    expect(download.response.status).toBe(200);
    const downloadUrl = download.data?.downloadUrl ?? '';
    const file = await fetch(downloadUrl);
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    expect(file.headers.get('content-disposition')).toContain('attachment');
    expect(downloadUrl).not.toContain('rota');
    const overwrite = await fetch(uploadUrl, {
      method: 'PUT',
      headers: uploadHeaders,
      body: Buffer.alloc(bytes.length, 0x41),
    });
    expect(overwrite.status).toBe(412);
    const outsider = await credentialing.api.GET(
      '/conversations/{id}/attachments/{attachmentId}',
      attachment,
    );
    expect(outsider.response.status).toBe(404);
    const tooBig = await staff.api.POST('/conversations/{id}/attachments', {
      ...id,
      body: { name: 'huge.pdf', contentType: 'application/pdf', size: 11 * 1024 * 1024 },
    });
    expect(tooBig.response.status).toBe(400);
  });
});
