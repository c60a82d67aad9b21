/** An upload that landed: kept when its bytes and name fit the declared type, else rejected and deleted. */
import { beforeEach, describe, expect, it } from 'vitest';
import { createUploadInspection } from '#domain/credentials/upload-inspection.ts';
import {
  contextOf,
  createInMemoryCredentials,
  createInMemoryDocumentStore,
} from './support/credential-fakes.ts';

const KEY = 'credentials/c1/u1';
const system = contextOf('system', []);

let credentials: ReturnType<typeof createInMemoryCredentials>;
let store: ReturnType<typeof createInMemoryDocumentStore>;

const pendingCredential = async (name: string, contentType: string, documentKey = KEY) => {
  await credentials.repository.create({
    id: 'c1',
    staffId: 's1',
    ownerUserId: 'owner',
    type: 'RN',
    status: 'pending',
    expiryWarning: null,
    document: { name, contentType, size: 10, status: 'pending' },
    documentKey,
    version: 1,
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-01T00:00:00.000Z',
    lastActor: { userId: 'owner', roles: ['staff'], requestId: 'r', action: 'create' },
  });
};

beforeEach(() => {
  credentials = createInMemoryCredentials();
  store = createInMemoryDocumentStore();
});

describe('upload inspection', () => {
  it('marks a PDF that starts with %PDF- uploaded', async () => {
    // Prepare
    await pendingCredential('licence.pdf', 'application/pdf');
    store.objects.add(KEY);
    store.heads.set(KEY, Buffer.from('%PDF-1.7 ...'));
    const inspection = createUploadInspection({ credentials: credentials.repository, store: store.store });
    // Act
    const outcome = await inspection.inspect(system, { credentialId: 'c1', objectKey: KEY });
    // Assess
    expect(outcome).toBe('uploaded');
    expect(credentials.items.get('c1')?.document?.status).toBe('uploaded');
    expect(store.objects.has(KEY)).toBe(true);
  });

  it('rejects HTML declared as a PDF, with the reason, and deletes the object', async () => {
    // Prepare
    await pendingCredential('licence.pdf', 'application/pdf');
    store.objects.add(KEY);
    store.heads.set(KEY, Buffer.from('<html><script>'));
    const inspection = createUploadInspection({ credentials: credentials.repository, store: store.store });
    // Act
    const outcome = await inspection.inspect(system, { credentialId: 'c1', objectKey: KEY });
    // Assess
    expect(outcome).toBe('rejected');
    expect(credentials.items.get('c1')?.document).toMatchObject({
      status: 'rejected',
      reason: 'the bytes do not carry the application/pdf signature',
    });
    expect(store.objects.has(KEY)).toBe(false);
  });

  it('leaves alone an object of an upload since replaced', async () => {
    // Prepare
    await pendingCredential('licence.pdf', 'application/pdf', 'credentials/c1/u2');
    store.objects.add(KEY);
    const inspection = createUploadInspection({ credentials: credentials.repository, store: store.store });
    // Act
    const outcome = await inspection.inspect(system, { credentialId: 'c1', objectKey: KEY });
    // Assess
    expect(outcome).toBe('ignored');
    expect(credentials.items.get('c1')?.document?.status).toBe('pending');
  });
});
