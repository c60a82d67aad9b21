/**
 * Messaging story on the twin, with real WebSocket clients: a recruiter and a staff member talk,
 * the credentialing user (not a participant) hears nothing, receipts travel back, an offline
 * client catches up over HTTP, and fifty clients sending at once lose and duplicate nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, eventually, loginAs, openWs, type WsClient } from './support/twin.ts';

interface MessageFrame {
  type: string;
  conversationId?: string;
  message?: { id: string; clientMessageId: string; senderId: string; body: string };
  clientMessageId?: string;
  messageId?: string;
  userId?: string;
  upToMessageId?: string;
}

const created = (messageId: string) => (frame: MessageFrame) =>
  frame.type === 'message.created' && frame.message?.id === messageId;

const openConversation = async (token: string, participantIds: string[], subject = 'Night shifts') => {
  const response = await api('/conversations', { method: 'POST', token, body: { participantIds, subject } });
  expect(response.status).toBe(201);
  return response.body.id as string;
};

const sendOverWs = async (client: WsClient, conversationId: string, body: string) => {
  const clientMessageId = randomUUID();
  client.send({ action: 'sendMessage', conversationId, body, clientMessageId });
  const ack = await client.next<MessageFrame>(
    (frame) => (frame.type === 'ack' || frame.type === 'error') && frame.clientMessageId === clientMessageId,
  );
  expect(ack.type).toBe('ack');
  return ack.messageId as string;
};

describe('messaging between a recruiter and a staff member', () => {
  it('delivers a message to every participant connection, the sender’s other tab included, and to nobody else', async () => {
    const [recruiter, staff, credentialing] = await Promise.all([
      loginAs('recruiter'),
      loginAs('staff'),
      loginAs('credentialing'),
    ]);
    const conversationId = await openConversation(recruiter.idToken, [staff.user.id]);
    const sentinelConversation = await openConversation(
      recruiter.idToken,
      [credentialing.user.id],
      'Sentinel',
    );
    const [tab1, tab2, staffWs, outsider] = await Promise.all([
      openWs(recruiter.idToken),
      openWs(recruiter.idToken),
      openWs(staff.idToken),
      openWs(credentialing.idToken),
    ]);
    try {
      const messageId = await sendOverWs(tab1, conversationId, 'Can you cover Friday night?');
      const received = await staffWs.next<MessageFrame>(created(messageId));
      expect(received).toMatchObject({
        conversationId,
        message: { senderId: recruiter.user.id, body: 'Can you cover Friday night?' },
      });
      await tab2.next<MessageFrame>(created(messageId));

      // The stream is delivered in order: once the outsider gets a later message of their own
      // conversation, the first one would already have reached them had it been sent to them.
      const sentinelId = await sendOverWs(tab1, sentinelConversation, 'sentinel');
      await outsider.next<MessageFrame>(created(sentinelId));
      expect(outsider.frames.some((frame) => (frame as MessageFrame).conversationId === conversationId)).toBe(
        false,
      );
      expect((await api(`/conversations/${conversationId}`, { token: credentialing.idToken })).status).toBe(
        404,
      );
    } finally {
      await Promise.all([tab1.close(), tab2.close(), staffWs.close(), outsider.close()]);
    }
  });

  it('sends read receipts back to the sender and clears the unread count', async () => {
    const [recruiter, staff] = await Promise.all([loginAs('recruiter'), loginAs('staff')]);
    const conversationId = await openConversation(recruiter.idToken, [staff.user.id]);
    const [recruiterWs, staffWs] = await Promise.all([openWs(recruiter.idToken), openWs(staff.idToken)]);
    try {
      const messageId = await sendOverWs(recruiterWs, conversationId, 'Badge pickup at 7');
      await staffWs.next<MessageFrame>(created(messageId));
      // The notify consumer keeps the count, off the send path.
      const unreadCount = async () =>
        (await api(`/conversations/${conversationId}`, { token: staff.idToken })).body.unreadCount;
      await expect.poll(unreadCount, eventually).toBe(1);

      staffWs.send({ action: 'markRead', conversationId, upToMessageId: messageId });
      const receipt = await recruiterWs.next<MessageFrame>(
        (frame) => frame.type === 'message.read' && frame.upToMessageId === messageId,
      );
      expect(receipt).toMatchObject({ conversationId, userId: staff.user.id });
      await expect.poll(unreadCount, eventually).toBe(0);
      const messages = await api(`/conversations/${conversationId}/messages`, { token: recruiter.idToken });
      expect(Object.keys(messages.body.items[0].readBy)).toEqual([staff.user.id]);
      // Someone else's receipt cannot be written: the body names no user, the caller is the reader.
      const foreign = await api(`/conversations/${conversationId}/read`, {
        method: 'POST',
        token: staff.idToken,
        body: { upToMessageId: messageId, userId: recruiter.user.id },
      });
      expect(foreign.status).toBe(400);
    } finally {
      await Promise.all([recruiterWs.close(), staffWs.close()]);
    }
  });

  it('lets a client that was offline catch up with ?after=, and a retried send is the same message', async () => {
    const [recruiter, staff] = await Promise.all([loginAs('recruiter'), loginAs('staff')]);
    const conversationId = await openConversation(recruiter.idToken, [staff.user.id]);
    let staffWs = await openWs(staff.idToken);
    const seen = await sendOverWs(await openWs(recruiter.idToken), conversationId, 'before going offline');
    await staffWs.next<MessageFrame>(created(seen));
    await staffWs.close();

    const missed: string[] = [];
    for (const body of ['one', 'two', 'three']) {
      const clientMessageId = randomUUID();
      const path = `/conversations/${conversationId}/messages`;
      const sent = await api(path, {
        method: 'POST',
        token: recruiter.idToken,
        body: { body, clientMessageId },
      });
      expect(sent.status).toBe(201);
      const retried = await api(path, {
        method: 'POST',
        token: recruiter.idToken,
        body: { body, clientMessageId },
      });
      expect(retried.status).toBe(201);
      expect(retried.body.id).toBe(sent.body.id);
      missed.push(sent.body.id);
    }

    staffWs = await openWs(staff.idToken);
    try {
      const caughtUp = await api(`/conversations/${conversationId}/messages?after=${seen}`, {
        token: staff.idToken,
      });
      expect(caughtUp.status).toBe(200);
      const ids = [...new Set(caughtUp.body.items.map((message: { id: string }) => message.id))];
      // The overlap returns the last message seen again; deduped, the rest is what was missed, in order.
      expect(ids.filter((id) => id !== seen)).toEqual(missed);
      expect(
        (await api(`/conversations/${conversationId}/messages`, { token: staff.idToken })).body.items,
      ).toHaveLength(4);
    } finally {
      await staffWs.close();
    }
  });

  it('stores and delivers every message of fifty clients sending at once exactly once per connection', async () => {
    const [recruiter, staff] = await Promise.all([loginAs('recruiter'), loginAs('staff')]);
    const conversationId = await openConversation(recruiter.idToken, [staff.user.id]);
    const clients = await Promise.all(
      Array.from({ length: 50 }, (_, index) => openWs(index % 2 === 0 ? recruiter.idToken : staff.idToken)),
    );
    try {
      const ids = await Promise.all(
        clients.map((client, index) => sendOverWs(client, conversationId, `concurrent ${index}`)),
      );
      expect(new Set(ids).size).toBe(50);
      await Promise.all(
        clients.map((client) => Promise.all(ids.map((id) => client.next<MessageFrame>(created(id), 30_000)))),
      );
      for (const client of clients) {
        const deliveredIds = client.frames
          .filter((frame) => (frame as MessageFrame).type === 'message.created')
          .map((frame) => (frame as MessageFrame).message?.id);
        expect(new Set(deliveredIds)).toEqual(new Set(ids));
      }
      const stored = await api(`/conversations/${conversationId}/messages?limit=100`, {
        token: staff.idToken,
      });
      expect(stored.body.items.map((message: { id: string }) => message.id).sort()).toEqual([...ids].sort());
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('shares an attachment through presigned URLs with participants only', async () => {
    const [recruiter, staff, credentialing] = await Promise.all([
      loginAs('recruiter'),
      loginAs('staff'),
      loginAs('credentialing'),
    ]);
    const conversationId = await openConversation(recruiter.idToken, [staff.user.id]);
    const bytes = Buffer.from('%PDF-1.4 rota for March');
    const upload = await api(`/conversations/${conversationId}/attachments`, {
      method: 'POST',
      token: staff.idToken,
      body: { name: 'rota.pdf', contentType: 'application/pdf', size: bytes.length },
    });
    expect(upload.status).toBe(201);
    const put = await fetch(upload.body.uploadUrl, {
      method: 'PUT',
      headers: upload.body.uploadHeaders,
      body: bytes,
    });
    expect(put.status).toBe(200);

    const sent = await api(`/conversations/${conversationId}/messages`, {
      method: 'POST',
      token: staff.idToken,
      body: { body: 'March rota attached', attachmentIds: [upload.body.attachmentId] },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.attachments).toEqual([
      {
        id: upload.body.attachmentId,
        name: 'rota.pdf',
        contentType: 'application/pdf',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    ]);
    const path = `/conversations/${conversationId}/attachments/${upload.body.attachmentId}`;
    const download = await api(path, { token: recruiter.idToken });
    expect(download.status).toBe(200);
    const file = await fetch(download.body.downloadUrl);
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    expect(file.headers.get('content-disposition')).toContain('attachment');
    expect(download.body.downloadUrl).not.toContain('rota');
    const overwrite = await fetch(upload.body.uploadUrl, {
      method: 'PUT',
      headers: upload.body.uploadHeaders,
      body: Buffer.alloc(bytes.length, 0x41),
    });
    expect(overwrite.status).toBe(412);
    expect((await api(path, { token: credentialing.idToken })).status).toBe(404);
    const tooBig = await api(`/conversations/${conversationId}/attachments`, {
      method: 'POST',
      token: staff.idToken,
      body: { name: 'huge.pdf', contentType: 'application/pdf', size: 11 * 1024 * 1024 },
    });
    expect(tooBig.status).toBe(400);
  });
});
