/**
 * Reading and verifying the ledger (GET /audit…). Admins read every chain; credentialing the
 * Credential and StaffProfile chains only (the policy's Audit rules).
 */
import type { ServiceContext } from '../context.ts';
import { authorize } from '../policy.ts';
import type { ListPosition } from '../repository.ts';
import type { AuditFilters } from '../schemas/audit.ts';
import { verifyChain } from './chain.ts';
import { type LedgerEntry, publicEntry } from './entry.ts';
import type { ChainId } from './item-changes.ts';
import type { ChainWitness, LedgerReader } from './ports.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A date bound means the whole day (UTC); a time is taken as given, in UTC. */
const startOf = (time: string) => (DAY.test(time) ? `${time}T00:00:00.000Z` : new Date(time).toISOString());
const endOf = (time: string) => (DAY.test(time) ? `${time}T23:59:59.999Z` : new Date(time).toISOString());

const VERIFY_PAGE = 500;

export const createAuditService = ({ reader, witness }: { reader: LedgerReader; witness: ChainWitness }) => {
  const wholeChain = async (chain: ChainId): Promise<LedgerEntry[]> => {
    const entries: LedgerEntry[] = [];
    let position: ListPosition | undefined;
    do {
      const page = await reader.chainPage(chain, VERIFY_PAGE, position);
      entries.push(...page.items);
      position = page.next;
    } while (position);
    return entries;
  };

  return {
    list: async (context: ServiceContext, filters: AuditFilters, limit: number, position?: ListPosition) => {
      authorize(context.actor, 'list', { type: 'Audit', entityType: filters.entityType });
      const query = {
        entityType: filters.entityType,
        entityId: filters.entityId,
        actorId: filters.actorId,
        from: filters.from === undefined ? undefined : startOf(filters.from),
        to: filters.to === undefined ? context.now.toISOString() : endOf(filters.to),
      };
      const page = await reader.search(query, limit, position);
      return { items: page.items.map(publicEntry), next: page.next };
    },

    chain: async (context: ServiceContext, chain: ChainId, limit: number, position?: ListPosition) => {
      authorize(context.actor, 'read', { type: 'Audit', entityType: chain.entityType });
      const page = await reader.chainPage(chain, limit, position);
      return { items: page.items.map(publicEntry), next: page.next };
    },

    verify: async (context: ServiceContext, chain: ChainId) => {
      authorize(context.actor, 'verify', { type: 'Audit', entityType: chain.entityType });
      const entries = await wholeChain(chain);
      const recorded = Object.keys(entries.at(-1)?.positions ?? {});
      return verifyChain(entries, await witness.positionsOf(chain, recorded));
    },
  };
};

export type AuditService = ReturnType<typeof createAuditService>;
