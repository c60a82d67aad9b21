/** Verification records: manual checks, the staff member's list, and verify naming a record. */
import { beforeEach, describe, expect, it } from 'vitest';
import { createVerificationService } from '#domain/credentialing/verifications.ts';
import { createCredentialService } from '#domain/credentials/service.ts';
import { Forbidden, NotFound, RuleViolation } from '#domain/errors.ts';
import {
  contextOf,
  createInMemoryCredentials,
  createInMemoryDocumentStore,
  createInMemoryStaff,
  idSequence,
} from './support/credential-fakes.ts';
import { createInMemoryVerifications } from './support/credentialing-fakes.ts';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const OWNER = 'owner-sub';
const STAFF_ID = '01J00000000000000000STAFF1';
const OTHER_STAFF_ID = '01J00000000000000000STAFF2';
const owner = contextOf(OWNER, ['staff']);
const recruiter = contextOf('recruiter-sub', ['recruiter']);
const credentialing = contextOf('cred-sub', ['credentialing']);

let verifications: ReturnType<typeof createInMemoryVerifications>;
let records: ReturnType<typeof createVerificationService>;
let credentials: ReturnType<typeof createCredentialService>;

const profile = (id: string, userId: string) => ({
  id,
  userId,
  name: 'Nia',
  email: `${userId}@example.org`,
  isActive: true,
  version: 1,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  lastActor: { userId: 'x', roles: [], requestId: 'r', action: 'create' },
});

beforeEach(async () => {
  const staff = createInMemoryStaff();
  await staff.repository.create(profile(STAFF_ID, OWNER));
  await staff.repository.create(profile(OTHER_STAFF_ID, 'other-sub'));
  const stored = createInMemoryCredentials();
  verifications = createInMemoryVerifications();
  const newId = idSequence();
  const deps = { profiles: staff.repository, verifications: verifications.repository, newId };
  records = createVerificationService({ ...deps, credentials: stored.repository });
  credentials = createCredentialService({
    ...deps,
    credentials: stored.repository,
    documents: createInMemoryDocumentStore().store,
  });
});

describe('manual verification records', () => {
  it('records a check as the credentialing user saw it, listed newest first to the staff member', async () => {
    // Act
    const first = await records.createManual(credentialing, STAFF_ID, {
      sourceRef: 'Texas BON licence lookup',
      result: 'match',
      note: 'licence in good standing',
    });
    const second = await records.createManual(credentialing, STAFF_ID, {
      sourceRef: 'Phone call to the board',
      result: 'suspected',
      checkedAt: '2026-03-01T15:00:00Z',
    });
    const list = await records.listOfStaff(owner, STAFF_ID, { limit: 10 });

    // Assess
    expect(first).toMatchObject({
      subject: { staffId: STAFF_ID },
      source: 'manual',
      method: 'manual',
      result: 'match',
      verifier: 'cred-sub',
      checkedAt: NOW.toISOString(),
      note: 'licence in good standing',
      version: 1,
    });
    expect(first).not.toHaveProperty('ownerUserId');
    expect(second.checkedAt).toBe('2026-03-01T15:00:00.000Z');
    expect(list.items.map((item) => item.id)).toEqual([second.id, first.id]);
  });

  it('keeps recruiters and other staff out, and refuses a credential of someone else or a future time', async () => {
    const check = { sourceRef: 'lookup', result: 'match' } as const;
    await expect(records.createManual(recruiter, STAFF_ID, check)).rejects.toBeInstanceOf(Forbidden);
    await expect(records.listOfStaff(recruiter, STAFF_ID, { limit: 10 })).rejects.toBeInstanceOf(Forbidden);
    await expect(records.listOfStaff(owner, OTHER_STAFF_ID, { limit: 10 })).rejects.toBeInstanceOf(NotFound);
    const theirs = await credentials.create(recruiter, OTHER_STAFF_ID, { type: 'RN' });
    await expect(
      records.createManual(credentialing, STAFF_ID, { ...check, credentialId: theirs.id }),
    ).rejects.toBeInstanceOf(RuleViolation);
    await expect(
      records.createManual(credentialing, STAFF_ID, { ...check, checkedAt: '2026-03-03T00:00:00Z' }),
    ).rejects.toBeInstanceOf(RuleViolation);
  });
});

describe('verifying a credential', () => {
  it('with { verificationId }: the credential points at the matching record', async () => {
    // Prepare
    const rn = await credentials.create(recruiter, STAFF_ID, { type: 'RN' });
    const record = await records.createManual(credentialing, STAFF_ID, {
      credentialId: rn.id,
      sourceRef: 'Texas BON licence lookup',
      result: 'match',
    });

    // Act
    const verified = await credentials.decide(credentialing, rn.id, {
      transition: 'verify',
      verificationId: record.id,
    });

    // Assess
    expect(verified).toMatchObject({
      status: 'active',
      verification: { by: 'cred-sub', method: 'manual', verificationId: record.id },
    });
  });

  it('with the older { method, note }: a manual record is written on the way', async () => {
    const rn = await credentials.create(recruiter, STAFF_ID, { type: 'RN' });

    const verified = await credentials.decide(credentialing, rn.id, {
      transition: 'verify',
      method: 'primary source',
      note: 'called the board',
    });

    const id = verified.verification?.verificationId ?? '';
    expect(verified.verification).toMatchObject({ method: 'primary source', note: 'called the board' });
    expect(verifications.items.get(id)).toMatchObject({
      subject: { staffId: STAFF_ID, credentialId: rn.id },
      source: 'manual',
      method: 'manual',
      sourceRef: 'primary source',
      result: 'match',
      verifier: 'cred-sub',
      note: 'called the board',
    });
  });

  it('refuses a record that is not a match, of another credential or of someone else (422)', async () => {
    // Prepare
    const rn = await credentials.create(recruiter, STAFF_ID, { type: 'RN' });
    const bls = await credentials.create(recruiter, STAFF_ID, { type: 'BLS' });
    const theirs = await records.createManual(credentialing, OTHER_STAFF_ID, {
      sourceRef: 'x',
      result: 'match',
    });
    const suspected = await records.createManual(credentialing, STAFF_ID, {
      sourceRef: 'x',
      result: 'suspected',
    });
    const aboutBls = await records.createManual(credentialing, STAFF_ID, {
      credentialId: bls.id,
      sourceRef: 'x',
      result: 'match',
    });

    // Act
    const attempts = await Promise.all(
      [theirs.id, suspected.id, aboutBls.id, '01J0000000000000000000NONE'].map((verificationId) =>
        credentials.decide(credentialing, rn.id, { transition: 'verify', verificationId }).catch((e) => e),
      ),
    );

    // Assess
    expect(attempts.every((error) => error instanceof RuleViolation)).toBe(true);
    expect((await credentials.get(credentialing, rn.id)).status).toBe('pending');
  });
});
