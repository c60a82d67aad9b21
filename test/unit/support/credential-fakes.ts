/**
 * In-memory implementations of the staff and credential ports with the same conditions as the
 * DynamoDB repositories: the services run against these without AWS.
 */
import type { AccessEvent, AccessEventRepository } from '#domain/access-events.ts';
import type { ServiceContext } from '#domain/context.ts';
import { documentFrozen } from '#domain/credentials/documents.ts';
import type { CredentialRepository, DocumentStore, StoredCredential } from '#domain/credentials/ports.ts';
import { isExpiryTracked } from '#domain/credentials/state-machine.ts';
import { Conflict, NotFound, PreconditionFailed } from '#domain/errors.ts';
import type { Page, PageRequest } from '#domain/page.ts';
import { StaleWrite } from '#domain/repository.ts';
import type { Role } from '#domain/roles.ts';
import type { CredentialingFilter, StaffProfileRepository, StoredStaffProfile } from '#domain/staff/ports.ts';

const copy = <T>(value: T): T => structuredClone(value);

/** A page of `items` (sorted by id) after the position, which is the last id returned. */
const pageOf = <T extends { id: string }>(items: T[], page: PageRequest): Page<T> => {
  const sorted = [...items].sort((a, b) => a.id.localeCompare(b.id));
  const start =
    page.position === undefined ? 0 : sorted.findIndex((item) => item.id === page.position?.id) + 1;
  const slice = sorted.slice(start, start + page.limit);
  const last = slice.at(-1);
  return {
    items: slice.map(copy),
    next: start + page.limit < sorted.length && last ? { id: last.id } : undefined,
  };
};

/** The repository's status filter: the stored outcome and the due-date window. */
const matchesCredentialing = (profile: StoredStaffProfile, filter: CredentialingFilter | undefined) => {
  if (filter === undefined) return true;
  if (filter.stored === 'none') return profile.credentialingStatus === undefined;
  const due = profile.recredentialDueAt ?? '';
  return (
    profile.credentialingStatus === filter.stored &&
    (filter.dueAfter === undefined || due > filter.dueAfter) &&
    (filter.dueAtMost === undefined || due <= filter.dueAtMost)
  );
};

export const createInMemoryStaff = () => {
  const profiles = new Map<string, StoredStaffProfile>();
  const links = new Map<string, string>();
  const repository: StaffProfileRepository = {
    create: async (profile) => {
      if (links.has(profile.userId)) throw new Conflict('This user already has a staff profile', 'exists');
      profiles.set(profile.id, copy(profile));
      links.set(profile.userId, profile.id);
    },
    get: async (staffId) => copy(profiles.get(staffId)),
    getMany: async (staffIds) =>
      staffIds.flatMap((id) => {
        const profile = profiles.get(id);
        return profile === undefined ? [] : [copy(profile) as StoredStaffProfile];
      }),
    profileIdOfUser: async (userId) => links.get(userId),
    update: async (previous, next) => {
      const stored = profiles.get(previous.id);
      if (!stored) throw new NotFound();
      if (stored.version !== previous.version) throw new PreconditionFailed();
      profiles.set(next.id, copy(next));
    },
    list: async (filters, page) =>
      pageOf(
        [...profiles.values()].filter(
          (profile) =>
            (filters.specialty === undefined ||
              profile.specialty?.toLowerCase() === filters.specialty.toLowerCase()) &&
            (filters.active === undefined || profile.isActive === filters.active) &&
            matchesCredentialing(profile, filters.credentialing),
        ),
        page,
      ),
  };
  return { repository, profiles };
};

export const createInMemoryCredentials = () => {
  const items = new Map<string, StoredCredential>();
  /** Every successful write, by kind: what "one update per threshold" is checked against. */
  const writes: string[] = [];
  const stored = (id: string) => {
    const credential = items.get(id);
    if (!credential) throw new NotFound('No such credential');
    return credential;
  };
  const repository: CredentialRepository = {
    create: async (credential) => {
      items.set(credential.id, copy(credential));
      writes.push('create');
    },
    get: async (id) => copy(items.get(id)),
    listOfStaff: async (staffId, status, page) =>
      pageOf(
        [...items.values()].filter(
          (c) => c.staffId === staffId && (status === undefined || c.status === status),
        ),
        page,
      ),
    listByStatus: async (status, page) =>
      pageOf(
        [...items.values()].filter((c) => c.status === status),
        page,
      ),
    listExpiringOn: async (day, status, page) =>
      pageOf(
        [...items.values()].filter(
          (c) =>
            c.expiryDate === day &&
            isExpiryTracked(c.status) &&
            (status === undefined || c.status === status),
        ),
        page,
      ),
    transition: async (credential, { from, to }, change) => {
      const current = items.get(credential.id);
      const pastDue =
        change.expiredBefore === undefined ||
        (current?.expiryDate !== undefined && current.expiryDate < change.expiredBefore);
      if (current === undefined || !from.includes(current.status) || !pastDue) {
        throw new StaleWrite(current && { status: current.status });
      }
      const next = { ...current, ...change.set, ...change.meta, status: to, version: current.version + 1 };
      items.set(next.id, copy(next as StoredCredential));
      writes.push(change.meta.lastActor.action);
      return copy(next as StoredCredential);
    },
    raiseExpiryWarning: async (id, threshold, meta) => {
      const current = stored(id);
      if (
        current.status !== 'active' ||
        (current.expiryWarning !== null && current.expiryWarning <= threshold)
      )
        return false;
      items.set(id, { ...current, ...meta, expiryWarning: threshold, version: current.version + 1 });
      writes.push(`warn:${threshold}`);
      return true;
    },
    attachDocument: async (id, document, documentKey, meta) => {
      if (stored(id).status !== 'pending') throw documentFrozen(stored(id).status);
      const next = { ...stored(id), ...meta, document, documentKey };
      next.version += 1;
      items.set(id, copy(next));
      writes.push('document.upload');
      return copy(next);
    },
    markDocumentRejected: async (id, documentKey, reason, meta) => {
      const current = stored(id);
      if (current.document?.status !== 'pending' || current.documentKey !== documentKey) return false;
      items.set(id, {
        ...current,
        ...meta,
        document: { ...current.document, status: 'rejected', reason },
        version: current.version + 1,
      });
      writes.push('document.rejected');
      return true;
    },
    markDocumentUploaded: async (id, documentKey, meta) => {
      const current = stored(id);
      if (current.document?.status !== 'pending' || current.documentKey !== documentKey) return false;
      items.set(id, {
        ...current,
        ...meta,
        document: { ...current.document, status: 'uploaded' },
        version: current.version + 1,
      });
      writes.push('document.uploaded');
      return true;
    },
  };
  return { repository, items, writes };
};

export const createInMemoryDocumentStore = () => {
  const objects = new Set<string>();
  /** First bytes of objects that have them (others read as empty). */
  const heads = new Map<string, Uint8Array>();
  const store: DocumentStore = {
    presignUpload: async (objectKey, contentType, size) => ({
      url: `https://s3.test/${objectKey}?put`,
      headers: { 'Content-Type': contentType, 'Content-Length': String(size), 'If-None-Match': '*' },
      expiresIn: 300,
    }),
    exists: async (objectKey) => objects.has(objectKey),
    head: async (objectKey, bytes) => (heads.get(objectKey) ?? new Uint8Array()).subarray(0, bytes),
    remove: async (objectKey) => {
      objects.delete(objectKey);
      heads.delete(objectKey);
    },
    presignDownload: async (objectKey, fileName, versionId) => ({
      url: `https://s3.test/${objectKey}?get&name=${fileName}${versionId ? `&versionId=${versionId}` : ''}`,
      expiresIn: 60,
    }),
    fingerprint: async (objectKey) =>
      objects.has(objectKey) ? { versionId: `v-${objectKey}`, sha256: `sha256-${objectKey}` } : undefined,
  };
  return { store, objects, heads };
};

export const createAccessEventLog = () => {
  const events: AccessEvent[] = [];
  const repository: AccessEventRepository = {
    record: async (event) => {
      events.push(event);
    },
  };
  return { repository, events };
};

export const contextOf = (
  userId: string,
  roles: Role[],
  now = new Date('2026-03-02T09:00:00.000Z'),
): ServiceContext => ({ actor: { userId, roles }, now, requestId: `req-${userId}` });

/** Sequential ULID-shaped ids, so tests can predict and order them. */
export const idSequence = (prefix = '01J0000000000000000000') => {
  let next = 0;
  return () => `${prefix}${String(++next).padStart(4, '0')}`;
};
