import { beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '#domain/credentials/days.ts';
import { createCredentialDocuments } from '#domain/credentials/documents.ts';
import { createExpirySweep } from '#domain/credentials/expiry-sweep.ts';
import { createCredentialService } from '#domain/credentials/service.ts';
import { Conflict, Forbidden, NotFound, RuleViolation } from '#domain/errors.ts';
import {
  contextOf,
  createAccessEventLog,
  createInMemoryCredentials,
  createInMemoryDocumentStore,
  createInMemoryStaff,
  idSequence,
} from './support/credential-fakes.ts';
import { createInMemoryVerifications } from './support/credentialing-fakes.ts';

const OWNER = 'owner-sub';
const NOW = new Date('2026-03-02T09:00:00.000Z');
const TODAY = '2026-03-02';
const owner = contextOf(OWNER, ['staff']);
const otherStaff = contextOf('other-sub', ['staff']);
const recruiter = contextOf('recruiter-sub', ['recruiter']);
const credentialing = contextOf('cred-sub', ['credentialing']);
const admin = contextOf('admin-sub', ['admin']);
const STAFF_ID = '01J00000000000000000STAFF1';

let credentials: ReturnType<typeof createInMemoryCredentials>;
let verifications: ReturnType<typeof createInMemoryVerifications>;
let store: ReturnType<typeof createInMemoryDocumentStore>;
let events: ReturnType<typeof createAccessEventLog>;
let service: ReturnType<typeof createCredentialService>;
let documents: ReturnType<typeof createCredentialDocuments>;
let sweep: ReturnType<typeof createExpirySweep>;

beforeEach(async () => {
  const staff = createInMemoryStaff();
  await staff.repository.create({
    id: STAFF_ID,
    userId: OWNER,
    name: 'Nia',
    email: 'nia@example.org',
    isActive: true,
    version: 1,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    lastActor: { userId: 'x', roles: [], requestId: 'r', action: 'create' },
  });
  credentials = createInMemoryCredentials();
  store = createInMemoryDocumentStore();
  events = createAccessEventLog();
  verifications = createInMemoryVerifications();
  const newId = idSequence();
  service = createCredentialService({
    credentials: credentials.repository,
    profiles: staff.repository,
    documents: store.store,
    verifications: verifications.repository,
    newId,
  });
  documents = createCredentialDocuments({
    credentials: credentials.repository,
    store: store.store,
    accessEvents: events.repository,
    objectKeyFor: (credentialId, uploadId) => `credentials/${credentialId}/${uploadId}`,
    newId,
  });
  sweep = createExpirySweep({ credentials: credentials.repository });
});

const createRn = (expiryDate = addDays(TODAY, 200)) =>
  service.create(owner, STAFF_ID, { type: 'RN', expiryDate });

describe('credential service', () => {
  it('creates pending credentials for the owner and the agency, never for other staff', async () => {
    const mine = await createRn();
    expect(mine).toMatchObject({ staffId: STAFF_ID, status: 'pending', expiryWarning: null, version: 1 });
    expect(mine).not.toHaveProperty('ownerUserId');
    expect(credentials.items.get(mine.id)?.ownerUserId).toBe(OWNER);
    await expect(service.create(recruiter, STAFF_ID, { type: 'BLS' })).resolves.toMatchObject({
      type: 'BLS',
    });
    await expect(service.create(otherStaff, STAFF_ID, { type: 'BLS' })).rejects.toBeInstanceOf(NotFound);
    await expect(service.create(owner, '01J00000000000000000NOSTAF', { type: 'BLS' })).rejects.toBeInstanceOf(
      NotFound,
    );
  });

  it('verifies pending → active with a verification record; a second verify is a conflict', async () => {
    const { id } = await createRn();
    const verified = await service.decide(credentialing, id, {
      transition: 'verify',
      method: 'primary source',
    });
    expect(verified).toMatchObject({
      status: 'active',
      version: 2,
      verification: { by: 'cred-sub', at: NOW.toISOString(), method: 'primary source' },
    });
    const again = await service.decide(admin, id, { transition: 'verify', method: 'x' }).catch((e) => e);
    expect(again).toBeInstanceOf(Conflict);
    expect(again.currentState).toBe('active');
  });

  it('lets one of two racing decisions win; the loser gets 409 naming the state it lost to', async () => {
    // Prepare
    const { id } = await createRn();

    // Act
    const race = await Promise.allSettled([
      service.decide(credentialing, id, { transition: 'verify', method: 'primary source' }),
      service.decide(admin, id, { transition: 'reject', reason: 'illegible' }),
    ]);

    // Assess
    expect(race.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const lost = race.find((result) => result.status === 'rejected');
    expect(lost?.reason).toBeInstanceOf(Conflict);
    const won = credentials.items.get(id);
    expect(lost?.reason.currentState).toBe(won?.status);
    expect(won?.version).toBe(2);
  });

  it('refuses to verify a credential already past expiry (422), but verifies on its expiry day', async () => {
    const expired = await createRn(addDays(TODAY, -1));
    await expect(
      service.decide(credentialing, expired.id, { transition: 'verify', method: 'x' }),
    ).rejects.toBeInstanceOf(RuleViolation);
    const lastDay = await createRn(TODAY);
    await expect(
      service.decide(credentialing, lastDay.id, { transition: 'verify', method: 'x' }),
    ).resolves.toMatchObject({ status: 'active' });
  });

  it('rejects pending, revokes active only, and keeps the reason', async () => {
    const { id } = await createRn();
    await expect(
      service.decide(credentialing, id, { transition: 'revoke', reason: 'r' }),
    ).rejects.toBeInstanceOf(Conflict);
    const rejected = await service.decide(credentialing, id, { transition: 'reject', reason: 'illegible' });
    expect(rejected).toMatchObject({
      status: 'rejected',
      rejection: { by: 'cred-sub', reason: 'illegible' },
    });
    const other = await createRn();
    await service.decide(admin, other.id, { transition: 'verify', method: 'x' });
    const revoked = await service.decide(admin, other.id, { transition: 'revoke', reason: 'board action' });
    expect(revoked).toMatchObject({ status: 'revoked', revocation: { reason: 'board action' } });
  });

  it('denies decisions to recruiters and staff', async () => {
    const { id } = await createRn();
    await expect(service.decide(recruiter, id, { transition: 'verify', method: 'x' })).rejects.toBeInstanceOf(
      Forbidden,
    );
    await expect(service.decide(owner, id, { transition: 'verify', method: 'x' })).rejects.toBeInstanceOf(
      Forbidden,
    );
  });

  it('lists per staff member (hidden from other staff) and queues by status or expiry', async () => {
    const soon = await createRn(addDays(TODAY, 10));
    await createRn(addDays(TODAY, 40));
    expect((await service.listOfStaff(owner, STAFF_ID, undefined, { limit: 10 })).items).toHaveLength(2);
    await expect(service.listOfStaff(otherStaff, STAFF_ID, undefined, { limit: 10 })).rejects.toBeInstanceOf(
      NotFound,
    );
    expect((await service.queue(credentialing, {}, { limit: 10 })).items).toHaveLength(2);
    const expiring = await service.queue(credentialing, { expiringWithinDays: 30 }, { limit: 10 });
    expect(expiring.items.map((c) => c.id)).toEqual([soon.id]);
    await expect(service.queue(owner, {}, { limit: 10 })).rejects.toBeInstanceOf(Forbidden);
  });

  it("names each credential's staff member in the work queue, and only there", async () => {
    const created = await createRn(addDays(TODAY, 10));
    const queued = await service.queue(credentialing, {}, { limit: 10 });
    expect(queued.items.map((credential) => credential.staffName)).toEqual(['Nia']);
    expect(created).not.toHaveProperty('staffName');
  });

  it('pages the expiring queue across day buckets without losing or repeating any', async () => {
    const ids = [];
    for (const days of [0, 0, 1, 3, 3, 3, 9]) ids.push((await createRn(addDays(TODAY, days))).id);
    const seen: string[] = [];
    let after: unknown;
    do {
      const page = await service.queue(
        admin,
        { expiringWithinDays: 9 },
        { limit: 2, position: after as never },
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.id));
      after = page.next;
    } while (after !== undefined);
    expect(seen.sort()).toEqual(ids.sort());
  });
});

describe('credential documents', () => {
  it('records a pending document under an id-only key, then marks it uploaded on the first download', async () => {
    const { id } = await createRn();
    const upload = await documents.requestUpload(owner, id, {
      name: 'Nia licence.pdf',
      contentType: 'application/pdf',
      size: 1234,
    });
    expect(upload).toEqual({
      uploadUrl: expect.any(String),
      uploadHeaders: { 'Content-Type': 'application/pdf', 'Content-Length': '1234', 'If-None-Match': '*' },
      expiresIn: 300,
    });
    const key = credentials.items.get(id)?.documentKey ?? '';
    expect(key).toMatch(new RegExp(`^credentials/${id}/[0-9A-Z]+$`));
    expect(credentials.items.get(id)?.document).toEqual({
      name: 'Nia licence.pdf',
      contentType: 'application/pdf',
      size: 1234,
      status: 'pending',
    });

    await expect(documents.download(recruiter, id)).rejects.toBeInstanceOf(Conflict);
    store.objects.add(key);
    const download = await documents.download(recruiter, id);
    expect(download.downloadUrl).toContain(`credential-${id}.pdf`);
    expect(download.downloadUrl).not.toContain('licence');
    await documents.download(admin, id);
    expect(credentials.items.get(id)?.document?.status).toBe('uploaded');
    expect(credentials.writes.filter((write) => write === 'document.uploaded')).toHaveLength(1);
    expect(events.events.map((event) => [event.action, event.entityId, event.lastActor.userId])).toEqual([
      ['read.document', id, 'recruiter-sub'],
      ['read.document', id, 'admin-sub'],
    ]);
  });

  it('records the document a verification saw (key, version, SHA-256) and serves that version from then on', async () => {
    // Prepare
    const { id } = await createRn();
    await documents.requestUpload(owner, id, { name: 'l.pdf', contentType: 'application/pdf', size: 9 });
    const key = credentials.items.get(id)?.documentKey ?? '';
    store.objects.add(key);
    // Act
    const verified = await service.decide(credentialing, id, { transition: 'verify', method: 'x' });
    const download = await documents.download(recruiter, id);
    // Assess
    const seen = { key, versionId: `v-${key}`, sha256: `sha256-${key}` };
    expect(verified.verification?.document).toEqual(seen);
    expect(verified.document?.status).toBe('uploaded');
    expect(download.served).toEqual({ ...seen, verified: true });
    expect(download.downloadUrl).toContain(`versionId=v-${key}`);
  });

  it('verifies without a document record when nothing was uploaded, and says a later object is unverified', async () => {
    // Prepare
    const { id } = await createRn();
    await documents.requestUpload(owner, id, { name: 'l.pdf', contentType: 'application/pdf', size: 9 });
    // Act
    const verified = await service.decide(credentialing, id, { transition: 'verify', method: 'x' });
    store.objects.add(credentials.items.get(id)?.documentKey ?? '');
    const download = await documents.download(recruiter, id);
    // Assess
    expect(verified.verification).not.toHaveProperty('document');
    expect(download.served).toMatchObject({ verified: false });
  });

  it('refuses a name that does not fit the declared type (x.html as a PDF) with 422, writing nothing', async () => {
    // Prepare
    const { id } = await createRn();
    const before = credentials.items.get(id);
    // Act
    const refused = documents.requestUpload(owner, id, {
      name: 'x.html',
      contentType: 'application/pdf',
      size: 9,
    });
    // Assess
    await expect(refused).rejects.toBeInstanceOf(RuleViolation);
    expect(credentials.items.get(id)).toEqual(before);
  });

  it('refuses an upload to a decided credential with 409 naming the way forward, writing nothing', async () => {
    // Prepare
    const { id } = await createRn();
    await service.decide(credentialing, id, { transition: 'verify', method: 'x' });
    const before = credentials.items.get(id);
    // Act
    const refused = documents.requestUpload(owner, id, {
      name: 'new.pdf',
      contentType: 'application/pdf',
      size: 9,
    });
    // Assess
    await expect(refused).rejects.toBeInstanceOf(Conflict);
    await expect(refused).rejects.toThrow(/new credential/);
    expect(credentials.items.get(id)).toEqual(before);
  });

  it('lets only the owner, credentialing and admin upload; others see 403 or 404', async () => {
    const { id } = await createRn();
    const input = { name: 'a.png', contentType: 'image/png', size: 10 } as const;
    await expect(documents.requestUpload(recruiter, id, input)).rejects.toBeInstanceOf(Forbidden);
    await expect(documents.requestUpload(otherStaff, id, input)).rejects.toBeInstanceOf(NotFound);
    await expect(documents.download(otherStaff, id)).rejects.toBeInstanceOf(NotFound);
    await expect(documents.download(owner, id)).rejects.toThrow('no document');
  });
});

describe('expiry sweep', () => {
  const at = (day: string) => contextOf('ignored', [], new Date(`${day}T06:00:00.000Z`));
  const activeRn = async (expiryDate: string) => {
    const { id } = await createRn(expiryDate);
    await service.decide(credentialing, id, { transition: 'verify', method: 'x' });
    return id;
  };

  it('raises the tightest threshold, each once, then expires the day after expiry', async () => {
    const id = await activeRn(addDays(TODAY, 95));
    const writes = () => credentials.writes.filter((w) => w.startsWith('warn') || w === 'expire');

    // Beyond the 90-day horizon: not even examined.
    expect(await sweep.run(at(TODAY))).toEqual({ examined: 0, warned: 0, expired: 0 });
    expect(await sweep.run(at(addDays(TODAY, 75)))).toEqual({ examined: 1, warned: 1, expired: 0 });
    expect(credentials.items.get(id)?.expiryWarning).toBe(30);
    expect(await sweep.run(at(addDays(TODAY, 75)))).toEqual({ examined: 1, warned: 0, expired: 0 });
    expect(await sweep.run(at(addDays(TODAY, 90)))).toMatchObject({ warned: 1 });
    // The last valid day warns 0 days left; the day after expires.
    expect(await sweep.run(at(addDays(TODAY, 95)))).toMatchObject({ warned: 1, expired: 0 });
    expect(await sweep.run(at(addDays(TODAY, 95)))).toMatchObject({ warned: 0, expired: 0 });
    expect(await sweep.run(at(addDays(TODAY, 96)))).toEqual({ examined: 1, warned: 0, expired: 1 });
    expect(await sweep.run(at(addDays(TODAY, 96)))).toEqual({ examined: 0, warned: 0, expired: 0 });
    expect(writes()).toEqual(['warn:30', 'warn:7', 'warn:0', 'expire']);
    expect(credentials.items.get(id)).toMatchObject({
      status: 'expired',
      lastActor: { userId: 'system', roles: ['system'], action: 'expire' },
    });
  });

  it('finds past-due credentials the sweep missed for days, within the lookback', async () => {
    const missed = await activeRn(addDays(TODAY, 1));
    const lost = await activeRn(addDays(TODAY, 2));
    expect(await sweep.run(at(addDays(TODAY, 33)))).toMatchObject({ expired: 1 });
    expect(credentials.items.get(missed)?.status).toBe('active');
    expect(credentials.items.get(lost)?.status).toBe('expired');
  });

  it('lets only admins run it now', async () => {
    await expect(sweep.runNow(credentialing)).rejects.toBeInstanceOf(Forbidden);
    await expect(sweep.runNow(admin)).resolves.toEqual({ examined: 0, warned: 0, expired: 0 });
  });
});
