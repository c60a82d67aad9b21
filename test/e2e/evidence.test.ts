/**
 * Evidence that cannot be swapped (issue 13) on the twin: an Idempotency-Key bound to the request
 * it first answered; a contract chain that keeps growing through 100,000-character terms; a
 * verified credential's document that cannot be swapped.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '#domain/roles.ts';
import { api, eventually, loginAs, uniqueEmail } from './support/twin.ts';

const token = async (role: Role) => (await loginAs(role)).idToken;

const newStaffMember = async (name: string) => {
  const user = await api('/users', {
    method: 'POST',
    token: await token('admin'),
    body: { email: uniqueEmail('evidence'), name, roles: ['recruiter'] },
  });
  // Profiles are for staff users only: the recruiter invited without one becomes staff first.
  const roles = await api(`/users/${user.body.id}/roles`, {
    method: 'PUT',
    token: await token('admin'),
    body: { roles: ['staff'] },
  });
  expect(roles.status, roles.text).toBe(200);
  const profile = await api('/staff', {
    method: 'POST',
    token: await token('admin'),
    body: { userId: user.body.id, name },
  });
  expect(profile.status, profile.text).toBe(201);
  return profile.body.id as string;
};

let staffA: string;
let staffB: string;

beforeAll(async () => {
  staffA = await newStaffMember('Ada Evidence');
  staffB = await newStaffMember('Bea Evidence');
});

describe('Idempotency-Key', () => {
  it('answers 422, never a replay, to the same key and body on another staff member', async () => {
    // Prepare
    const headers = { 'idempotency-key': `cross-path-${Date.now()}` };
    const body = { type: 'BLS', issuedBy: 'Board', expiryDate: '2099-01-01' };
    const request = { method: 'POST', token: await token('credentialing'), body, headers };
    const forA = await api(`/staff/${staffA}/credentials`, request);
    // Act
    const forB = await api(`/staff/${staffB}/credentials`, request);
    const againForA = await api(`/staff/${staffA}/credentials`, request);
    // Assess
    expect(forA.status, forA.text).toBe(201);
    expect(forB.status, forB.text).toBe(422);
    expect(forB.body).toMatchObject({ details: { idempotencyKey: 'reused with another path' } });
    const listB = await api(`/staff/${staffB}/credentials`, { token: await token('credentialing') });
    expect(listB.body.items).toEqual([]);
    expect(againForA.status).toBe(201);
    expect(againForA.body.id).toBe(forA.body.id);
    expect(againForA.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('a chain no edit can freeze', () => {
  it('keeps growing and verifying through two edits of 100,000-character terms', async () => {
    // Prepare
    const recruiter = await token('recruiter');
    const admin = await token('admin');
    const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const content = (terms: string) => ({
      title: 'Long terms',
      terms,
      startDate: future(14),
      endDate: future(105),
      rate: { amountCents: 7200, currency: 'USD', per: 'hour' },
      location: 'Mercy General, ICU',
      requiredCredentialTypes: [],
    });
    const created = await api('/contracts', {
      method: 'POST',
      token: recruiter,
      body: { staffId: staffA, ...content('Short terms.') },
    });
    expect(created.status, created.text).toBe(201);
    const path = `/contracts/${created.body.id}`;
    const edit = (terms: string, version: number) =>
      api(path, {
        method: 'PUT',
        token: recruiter,
        body: content(terms),
        headers: { 'if-match': `"${version}"` },
      });
    // Act: 200 KB of UTF-8 each (the body limit is 256 KB): old and new together pass 400 KB
    const first = await edit('£'.repeat(100_000), 1);
    const second = await edit('é'.repeat(100_000), 2);
    const offered = await api(`${path}/offer`, { method: 'POST', token: recruiter });
    // Assess
    expect([first.status, second.status, offered.status]).toEqual([200, 200, 200]);
    await expect
      .poll(
        async () => (await api(`/audit/Contract/${created.body.id}/verify`, { token: admin })).body,
        eventually,
      )
      .toMatchObject({ valid: true, entries: 4 });
    const chain = await api(`/audit/Contract/${created.body.id}`, { token: admin });
    const sizes = chain.body.items.map((entry: object) => Buffer.byteLength(JSON.stringify(entry)));
    expect(Math.max(...sizes)).toBeLessThan(64 * 1024);
    const terms = chain.body.items.find((entry: { seq: number }) => entry.seq === 3).changes.terms;
    expect(terms.from).toMatchObject({ bytes: 200_000 });
    expect(terms.to).toMatchObject({ bytes: 200_000 });
    expect(terms.to.sha256).toBe(createHash('sha256').update('é'.repeat(100_000)).digest('hex'));
  });
});

describe('a verified document is frozen', () => {
  it('refuses a new upload to an active credential (409) and a reused upload URL cannot overwrite (412)', async () => {
    // Prepare: a staff member's credential with a document, verified
    const credentialing = await token('credentialing');
    const created = await api(`/staff/${staffA}/credentials`, {
      method: 'POST',
      token: credentialing,
      body: { type: 'RN', expiryDate: '2099-06-01' },
    });
    const id = created.body.id as string;
    const original = Buffer.from('%PDF-1.7 the licence that was checked');
    const upload = await api(`/credentials/${id}/document`, {
      method: 'POST',
      token: credentialing,
      body: { name: 'licence.pdf', contentType: 'application/pdf', size: original.length },
    });
    expect(upload.body.expiresIn).toBeLessThanOrEqual(300);
    const put = (body: Buffer, url = upload.body.uploadUrl) =>
      fetch(url, { method: 'PUT', headers: upload.body.uploadHeaders, body });
    expect((await put(original)).status).toBe(200);
    const verified = await api(`/credentials/${id}/verify`, {
      method: 'POST',
      token: credentialing,
      body: { method: 'primary source' },
    });
    expect(verified.body.status).toBe('active');
    // Act
    const swap = await api(`/credentials/${id}/document`, {
      method: 'POST',
      token: credentialing,
      body: { name: 'other.pdf', contentType: 'application/pdf', size: original.length },
    });
    const overwrite = await put(
      Buffer.from('%PDF-1.7 a different licence, same size!!').subarray(0, original.length),
    );
    // Assess
    expect(swap.status).toBe(409);
    expect(swap.body.detail).toMatch(/new credential/);
    expect(overwrite.status).toBe(412);
    const credential = await api(`/credentials/${id}`, { token: credentialing });
    expect(credential.body).toMatchObject({ status: 'active', version: verified.body.version });
    const sha256 = createHash('sha256').update(original).digest('hex');
    expect(verified.body.verification.document).toMatchObject({ key: expect.stringContaining(id), sha256 });
    const download = await api(`/credentials/${id}/document`, { token: credentialing });
    expect(download.body.served).toEqual({ ...verified.body.verification.document, verified: true });
    const served = Buffer.from(await (await fetch(download.body.downloadUrl)).arrayBuffer());
    expect(served.equals(original)).toBe(true);
  });
});

describe('bytes match their type', () => {
  it('rejects bytes that are not what their type says once they land, deleting them', async () => {
    // Prepare
    const credentialing = await token('credentialing');
    const upload = async (bytes: Buffer) => {
      const created = await api(`/staff/${staffA}/credentials`, {
        method: 'POST',
        token: credentialing,
        body: { type: 'ACLS' },
      });
      const requested = await api(`/credentials/${created.body.id}/document`, {
        method: 'POST',
        token: credentialing,
        body: { name: 'card.pdf', contentType: 'application/pdf', size: bytes.length },
      });
      const put = await fetch(requested.body.uploadUrl, {
        method: 'PUT',
        headers: requested.body.uploadHeaders,
        body: bytes,
      });
      expect(put.status).toBe(200);
      return created.body.id as string;
    };
    const documentOf = async (id: string) =>
      (await api(`/credentials/${id}`, { token: credentialing })).body.document;
    // Act
    const html = await upload(Buffer.from('<html><script>alert(1)</script></html>'));
    const pdf = await upload(Buffer.from('%PDF-1.7 a real card'));
    // Assess
    await expect
      .poll(() => documentOf(html), eventually)
      .toMatchObject({
        status: 'rejected',
        reason: 'the bytes do not carry the application/pdf signature',
      });
    await expect.poll(() => documentOf(pdf), eventually).toMatchObject({ status: 'uploaded' });
    const download = await api(`/credentials/${html}/document`, { token: credentialing });
    expect(download.status).toBe(409);
    expect(download.body.currentState).toBe('rejected');
  });

  it('refuses x.html declared as a PDF when the upload is requested (422)', async () => {
    // Prepare
    const credentialing = await token('credentialing');
    const created = await api(`/staff/${staffA}/credentials`, {
      method: 'POST',
      token: credentialing,
      body: { type: 'BLS' },
    });
    // Act
    const refused = await api(`/credentials/${created.body.id}/document`, {
      method: 'POST',
      token: credentialing,
      body: { name: 'x.html', contentType: 'application/pdf', size: 100 },
    });
    // Assess
    expect(refused.status).toBe(422);
    const after = await api(`/credentials/${created.body.id}`, { token: credentialing });
    expect(after.body).not.toHaveProperty('document');
  });

  it('refuses to send an attachment whose bytes are not what its type says, and a sent one cannot change', async () => {
    // Prepare
    const recruiter = await loginAs('recruiter');
    const staff = await loginAs('staff');
    const conversation = await api('/conversations', {
      method: 'POST',
      token: recruiter.idToken,
      body: { participantIds: [staff.user.id], subject: 'Evidence' },
    });
    const path = `/conversations/${conversation.body.id}`;
    const attach = async (name: string, contentType: string, bytes: Buffer) => {
      const upload = await api(`${path}/attachments`, {
        method: 'POST',
        token: recruiter.idToken,
        body: { name, contentType, size: bytes.length },
      });
      const put = await fetch(upload.body.uploadUrl, {
        method: 'PUT',
        headers: upload.body.uploadHeaders,
        body: bytes,
      });
      expect(put.status).toBe(200);
      return upload.body as {
        attachmentId: string;
        uploadUrl: string;
        uploadHeaders: Record<string, string>;
      };
    };
    const html = await attach('photo.png', 'image/png', Buffer.from('<html><script>alert(1)</script>'));
    const pdfBytes = Buffer.from('%PDF-1.7 the rota');
    const pdf = await attach('rota.pdf', 'application/pdf', pdfBytes);
    // Act
    const refused = await api(`${path}/messages`, {
      method: 'POST',
      token: recruiter.idToken,
      body: { body: 'photo', attachmentIds: [html.attachmentId] },
    });
    const sent = await api(`${path}/messages`, {
      method: 'POST',
      token: recruiter.idToken,
      body: { body: 'rota', attachmentIds: [pdf.attachmentId] },
    });
    const overwrite = await fetch(pdf.uploadUrl, {
      method: 'PUT',
      headers: pdf.uploadHeaders,
      body: Buffer.alloc(pdfBytes.length, 0x25),
    });
    // Assess
    expect(refused.status).toBe(422);
    expect(sent.status).toBe(201);
    expect(sent.body.attachments[0].sha256).toBe(createHash('sha256').update(pdfBytes).digest('hex'));
    expect(overwrite.status).toBe(412);
  });
  it('marks an attachment rejected and deletes its bytes when they land mislabelled', async () => {
    // Prepare
    const recruiter = await loginAs('recruiter');
    const staff = await loginAs('staff');
    const conversation = await api('/conversations', {
      method: 'POST',
      token: recruiter.idToken,
      body: { participantIds: [staff.user.id], subject: 'Landing' },
    });
    const path = `/conversations/${conversation.body.id}`;
    const bytes = Buffer.from('<html><script>alert(1)</script>');
    const upload = await api(`${path}/attachments`, {
      method: 'POST',
      token: recruiter.idToken,
      body: { name: 'photo.png', contentType: 'image/png', size: bytes.length },
    });
    // Act
    const put = await fetch(upload.body.uploadUrl, {
      method: 'PUT',
      headers: upload.body.uploadHeaders,
      body: bytes,
    });
    // Assess: the landing inspection deletes the object, and the send names why (the mark).
    expect(put.status).toBe(200);
    // Its download is refused once the object is gone (the API checks the object exists).
    await vi.waitFor(async () => {
      const download = await api(`${path}/attachments/${upload.body.attachmentId}`, {
        token: recruiter.idToken,
      });
      expect(download.status).toBe(404);
    }, eventually);
    const send = await api(`${path}/messages`, {
      method: 'POST',
      token: recruiter.idToken,
      body: { body: 'photo', attachmentIds: [upload.body.attachmentId] },
    });
    expect(send.status).toBe(422);
    expect(send.body.detail).toContain('is not what its type says');
  });
});
