/** In-memory verification records with the repository's conditions (written once, never changed). */
import { createHash } from 'node:crypto';
import type {
  DecisionRepository,
  EvidenceStore,
  ExclusionRepository,
  FlagRepository,
  LeieImport,
  StoredDecision,
  StoredExclusion,
  StoredFlag,
  StoredVerification,
  VerificationRepository,
} from '#domain/credentialing/ports.ts';
import { PreconditionFailed } from '#domain/errors.ts';
import { StaleWrite } from '#domain/repository.ts';
import type { StaffProfileRepository } from '#domain/staff/ports.ts';

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

/** The LEIE store in memory: rows by month and row, the import record, the active-month pointer. */
export const createInMemoryExclusions = () => {
  const rows = new Map<string, StoredExclusion>();
  const imports = new Map<string, LeieImport>();
  const state: { active?: string; failBatchAt?: number; batches: number; writes: number } = {
    batches: 0,
    writes: 0,
  };
  const repository: ExclusionRepository = {
    importOf: async (month) => copy(imports.get(month)),
    activeImport: async () => (state.active ? copy(imports.get(state.active)) : undefined),
    writeRows: async (batch) => {
      state.batches += 1;
      if (state.batches === state.failBatchAt) throw new Error('throttled');
      for (const row of batch) {
        rows.set(`${row.month}#${row.row}`, copy(row));
        state.writes += 1;
      }
    },
    complete: async (record) => {
      if (!imports.has(record.month)) imports.set(record.month, copy(record));
      state.writes += 1;
      const activated = state.active === undefined || state.active <= record.month;
      if (activated) state.active = record.month;
      return { activated };
    },
    byNpi: async (month, npi) =>
      [...rows.values()].filter((r) => r.month === month && r.npi === npi).map(copy),
    byName: async (month, nameKey) =>
      [...rows.values()].filter((r) => r.month === month && r.nameKey === nameKey).map(copy),
  };
  return { repository, rows, imports, state };
};

/** Decisions in memory, the profile written through the staff fake on its expected version. */
export const createInMemoryDecisions = (profiles: StaffProfileRepository) => {
  const items = new Map<string, StoredDecision>();
  const repository: DecisionRepository = {
    record: async (decision, { previous, next }) => {
      await profiles.update(previous, next);
      items.set(decision.id, copy(decision));
    },
    listOfStaff: async (staffId, page) => ({
      items: [...items.values()]
        .filter((decision) => decision.staffId === staffId)
        .sort((a, b) => b.id.localeCompare(a.id))
        .slice(0, page.limit)
        .map(copy),
    }),
  };
  return { repository, items };
};

/** The flag queue in memory, the profile written through the staff fake on its expected version. */
export const createInMemoryFlags = (profiles: StaffProfileRepository) => {
  const items = new Map<string, StoredFlag>();
  const repository: FlagRepository = {
    raise: async (flag, { previous, next }) => {
      if (items.has(flag.id)) throw new PreconditionFailed();
      await profiles.update(previous, next);
      items.set(flag.id, copy(flag));
    },
    get: async (flagId) => copy(items.get(flagId)),
    resolve: async (flag, { previous, next }) => {
      if (items.get(flag.previous.id)?.version !== flag.previous.version) throw new PreconditionFailed();
      await profiles.update(previous, next);
      items.set(flag.next.id, copy(flag.next));
    },
    listByStatus: async (status, page) => ({
      items: [...items.values()]
        .filter((flag) => flag.status === status)
        .sort((a, b) => a.id.localeCompare(b.id))
        .slice(0, page.limit)
        .map(copy),
    }),
  };
  return { repository, items };
};
