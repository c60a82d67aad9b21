/**
 * In-memory implementations of the contracts and appointments ports, with the same conditional
 * semantics as the DynamoDB repositories (StaleWrite, SlotTaken), so the services run without AWS.
 */
import type { AppointmentRecord, AppointmentRepository } from '#domain/appointments/ports.ts';
import { SlotTaken } from '#domain/appointments/ports.ts';
import type { ServiceContext } from '#domain/context.ts';
import type { HeldCredential } from '#domain/contracts/credential-gating.ts';
import type { ContractRecord, ContractRepository, ContractVersion } from '#domain/contracts/ports.ts';
import { EDITABLE_CONTRACT_STATES } from '#domain/contracts/state-machine.ts';
import { type Page, type PageRequest, StaleWrite } from '#domain/repository.ts';
import type { Role } from '#domain/roles.ts';

const copy = <T>(value: T): T => structuredClone(value);

const paged = <T>(all: T[], page: PageRequest): Page<T> => {
  const start = typeof page.position?.offset === 'number' ? page.position.offset : 0;
  const items = all.slice(start, start + page.limit);
  const end = start + items.length;
  return { items, next: end < all.length ? { offset: end } : undefined };
};

export const createInMemoryContracts = () => {
  const heads = new Map<string, ContractRecord>();
  const versions = new Map<string, ContractVersion[]>();
  const newestFirst = (a: ContractRecord, b: ContractRecord) => b.id.localeCompare(a.id);
  const repository: ContractRepository = {
    createContract: async (contract, first) => {
      if (heads.has(contract.id)) throw new Error('duplicate contract');
      heads.set(contract.id, copy(contract));
      versions.set(contract.id, [copy(first)]);
    },
    getContract: async (id) => copy(heads.get(id)),
    listContractsOfOwner: async (owner, status, page) =>
      paged(
        [...heads.values()]
          .filter((item) => item.ownerUserId === owner && (!status || item.status === status))
          .sort(newestFirst),
        page,
      ),
    listContracts: async (status, page) =>
      paged([...heads.values()].filter((item) => !status || item.status === status).sort(newestFirst), page),
    reviseContract: async (next, version, expectedVersion) => {
      const current = heads.get(next.id);
      if (current?.version !== expectedVersion || !EDITABLE_CONTRACT_STATES.includes(current.status)) {
        throw new StaleWrite(copy(current));
      }
      heads.set(next.id, copy(next));
      versions.get(next.id)?.push(copy(version));
    },
    transitionContract: async (next, expected) => {
      const current = heads.get(next.id);
      if (current?.status !== expected.status || current.version !== expected.version) {
        throw new StaleWrite(copy(current));
      }
      heads.set(next.id, copy(next));
    },
    listContractVersions: async (id, page) => paged(copy(versions.get(id) ?? []), page),
    getContractVersion: async (id, n) => copy(versions.get(id)?.find((entry) => entry.version === n)),
  };
  return { repository, heads, versions };
};

export const createInMemoryAppointments = () => {
  const heads = new Map<string, AppointmentRecord>();
  /** `<staffId>|<slot>` → appointment id. */
  const slots = new Map<string, string>();
  const slotKey = (staffId: string, slot: string) => `${staffId}|${slot}`;
  const claim = (staffId: string, claimed: readonly string[], id: string) => {
    const held = claimed
      .map((slot) => slots.get(slotKey(staffId, slot)))
      .find((holder) => holder !== undefined);
    if (held !== undefined) throw new SlotTaken(held);
    for (const slot of claimed) slots.set(slotKey(staffId, slot), id);
  };
  const inRange = (item: AppointmentRecord, filter: { from?: string; to?: string; status?: string }) =>
    (!filter.from || item.endAt > filter.from) &&
    (!filter.to || item.startAt < filter.to) &&
    (!filter.status || item.status === filter.status);
  const byStart = (a: AppointmentRecord, b: AppointmentRecord) => a.startAt.localeCompare(b.startAt);
  const repository: AppointmentRepository = {
    bookAppointment: async (record, claimed) => {
      claim(record.staffId, claimed, record.id);
      heads.set(record.id, copy(record));
    },
    getAppointment: async (id) => copy(heads.get(id)),
    listAppointmentsOfOwner: async (owner, filter, page) =>
      paged(
        [...heads.values()]
          .filter((item) => item.ownerUserId === owner && inRange(item, filter))
          .sort(byStart),
        page,
      ),
    listAppointments: async (filter, page) =>
      paged([...heads.values()].filter((item) => inRange(item, filter)).sort(byStart), page),
    updateAppointment: async (next, expected, changes) => {
      const current = heads.get(next.id);
      if (current?.status !== expected.status || current.version !== expected.version) {
        throw new StaleWrite(copy(current));
      }
      for (const slot of changes.release) slots.delete(slotKey(next.staffId, slot));
      claim(next.staffId, changes.claim, next.id);
      heads.set(next.id, copy(next));
    },
  };
  return { repository, heads, slots };
};

/** Staff profiles by id → owner sub, and the credentials each holds. */
export const createStaffDirectory = () => {
  const owners = new Map<string, string>();
  const held = new Map<string, HeldCredential[]>();
  return {
    owners,
    held,
    staff: { ownerUserIdOf: async (staffId: string) => owners.get(staffId) },
    credentials: { heldCredentials: async (staffId: string) => copy(held.get(staffId) ?? []) },
  };
};

let ids = 0;
/** ULID-shaped, increasing ids. */
export const sequentialIds = () => {
  ids += 1;
  return `01J${String(ids).padStart(23, '0')}`;
};

export const contextOf = (
  userId: string,
  roles: Role[],
  now = new Date('2026-03-02T09:00:00.000Z'),
): ServiceContext => ({
  actor: { userId, roles },
  now,
  requestId: `req-${userId}`,
});
