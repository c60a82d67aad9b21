/** In-memory verification records with the repository's conditions (written once, never changed). */
import { createHash } from 'node:crypto';
import type {
  EvidenceStore,
  StoredVerification,
  VerificationRepository,
} from '#domain/credentialing/ports.ts';
import { StaleWrite } from '#domain/repository.ts';

const copy = <T>(value: T): T => structuredClone(value);

export const createInMemoryVerifications = () => {
  const items = new Map<string, StoredVerification>();
  const repository: VerificationRepository = {
    create: async (record) => {
      const current = items.get(record.id);
      if (current) throw new StaleWrite(copy(current));
      items.set(record.id, copy(record));
    },
    get: async (id) => copy(items.get(id)),
    listOfStaff: async (staffId, page) => {
      const newestFirst = [...items.values()]
        .filter((record) => record.staffId === staffId)
        .sort((a, b) => b.id.localeCompare(a.id));
      const start =
        page.position === undefined ? 0 : newestFirst.findIndex((r) => r.id === page.position?.id) + 1;
      const slice = newestFirst.slice(start, start + page.limit);
      const last = slice.at(-1);
      return {
        items: slice.map(copy),
        next: start + page.limit < newestFirst.length && last ? { id: last.id } : undefined,
      };
    },
  };
  return { repository, items };
};

/** Evidence kept in memory under the same content-addressed keys as the bucket. */
export const createInMemoryEvidence = () => {
  const objects = new Map<string, string>();
  const store: EvidenceStore = {
    keep: async (kind, content) => {
      const sha256 = createHash('sha256').update(content).digest('hex');
      const snapshotKey = `evidence/${kind}/${sha256}.json`;
      objects.set(snapshotKey, content);
      return { sha256, snapshotKey };
    },
  };
  return { store, objects };
};
