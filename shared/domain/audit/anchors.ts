/**
 * The ledger's anchors over the API (admin): the digests, the public key that verifies them, and
 * the verification of every chain the digests of a time range name against the ledger now.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { ServiceContext } from '../context.ts';
import { RuleViolation } from '../errors.ts';
import { authorize } from '../policy.ts';
import type { ListPosition } from '../repository.ts';
import {
  type AnchorProblem,
  chainProblem,
  digestProblem,
  linkProblem,
  type NamedHead,
  parseDigest,
} from './anchor-check.ts';
import { digestKeyOf, periodStartOfKey } from './digest.ts';
import type { LedgerEntry } from './entry.ts';
import type { DigestSigner, EvidenceStore, LedgerReader } from './ports.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A range wider than this is refused: one page must list and read its digests within 30 s. */
export const MAX_VERIFY_DAYS = 31;
/** Chains read per page of /audit/verify (each a Query per 500 entries). */
export const CHAINS_PER_PAGE = 50;
const CHAIN_PAGE = 500;

export interface AnchorRange {
  from?: string;
  to?: string;
}

export interface VerifyPage {
  valid: boolean;
  checked: number;
  problems: AnchorProblem[];
  next?: { after: string };
}

const chainName = (head: { entityType: string; entityId: string }) => `${head.entityType}/${head.entityId}`;

export const createLedgerAnchors = (deps: {
  reader: LedgerReader;
  store: EvidenceStore;
  signer: DigestSigner;
}) => {
  const { reader, store, signer } = deps;

  /** The digest keys whose period starts within the range (default: the 24 hours before now). */
  const keysIn = async (range: AnchorRange, now: Date) => {
    const to = range.to ? new Date(range.to) : now;
    const from = range.from ? new Date(range.from) : new Date(to.getTime() - DAY);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from > to) {
      throw new RuleViolation('from must be a time before to');
    }
    if (to.getTime() - from.getTime() > MAX_VERIFY_DAYS * DAY) {
      throw new RuleViolation(`a range spans at most ${MAX_VERIFY_DAYS} days: verify longer ones in parts`);
    }
    const first = digestKeyOf(new Date(Math.floor(from.getTime() / HOUR) * HOUR));
    const last = digestKeyOf(to);
    const keys: string[] = [];
    for (let day = Math.floor(from.getTime() / DAY) * DAY; day <= to.getTime(); day += DAY) {
      const prefix = digestKeyOf(new Date(day)).replace(/\d{2}\.json$/, '');
      keys.push(...(await store.list(prefix)).filter((key) => key >= first && key <= last));
    }
    return keys.filter((key) => periodStartOfKey(key) !== undefined);
  };

  const signatureCheck = async () => {
    const publicKey = createPublicKey(await signer.publicKeyPem());
    return (bytes: Buffer, signature: Buffer) => verify('sha256', bytes, publicKey, signature);
  };

  const wholeChain = async (head: NamedHead): Promise<LedgerEntry[]> => {
    const entries: LedgerEntry[] = [];
    let position: ListPosition | undefined;
    do {
      const page = await reader.chainPage(head, CHAIN_PAGE, position);
      entries.push(...page.items);
      position = page.next;
    } while (position);
    return entries;
  };

  /** Every digest in the range, its own problems and its link's, and the heads it names. */
  const readDigests = async (keys: readonly string[]) => {
    const check = await signatureCheck();
    const problems: AnchorProblem[] = [];
    const heads = new Map<string, NamedHead[]>();
    for (const key of keys) {
      const found = await store.read(key);
      if (!found) continue;
      const own = digestProblem(key, found.bytes, check);
      if (own) problems.push(own);
      const signed = parseDigest(found.bytes);
      const previous = signed?.digest.previous;
      if (previous) {
        const link = linkProblem(previous, (await store.read(previous.key, previous.versionId))?.bytes);
        if (link) problems.push(link);
      }
      for (const chain of signed?.digest.chains ?? []) {
        const name = chainName(chain);
        heads.set(name, [...(heads.get(name) ?? []), { ...chain, digestKey: key }]);
      }
    }
    return { problems, heads };
  };

  return {
    publicKeyPem: () => signer.publicKeyPem(),

    list: async (context: ServiceContext, range: AnchorRange, limit: number, position?: ListPosition) => {
      authorize(context.actor, 'verifyLedger', { type: 'Audit' });
      const keys = await keysIn(range, context.now);
      const after = typeof position?.after === 'string' ? position.after : '';
      const taken = keys.filter((key) => key > after).slice(0, limit);
      const items = [];
      for (const key of taken) {
        const signed = parseDigest((await store.read(key))?.bytes ?? Buffer.alloc(0));
        items.push({
          key,
          period: signed?.digest.period ?? null,
          createdAt: signed?.digest.createdAt ?? null,
          chains: signed?.digest.chains.length ?? 0,
          previous: signed?.digest.previous?.key ?? null,
        });
      }
      const last = taken.at(-1);
      return { items, next: taken.length === limit && last ? { after: last } : undefined };
    },

    /** One page: the digests (on the first page) and up to CHAINS_PER_PAGE of the chains they name. */
    verify: async (
      context: ServiceContext,
      range: AnchorRange,
      position?: { after?: string },
    ): Promise<VerifyPage> => {
      authorize(context.actor, 'verifyLedger', { type: 'Audit' });
      const keys = await keysIn(range, context.now);
      const { problems: digestProblems, heads } = await readDigests(keys);
      const firstPage = position?.after === undefined;
      const problems = firstPage ? [...digestProblems] : [];
      const names = [...heads.keys()].sort().filter((name) => firstPage || name > String(position.after));
      const page = names.slice(0, CHAINS_PER_PAGE);
      for (const name of page) {
        const named = heads.get(name) ?? [];
        const first = named[0];
        if (!first) continue;
        const problem = chainProblem(await wholeChain(first), named);
        if (problem) problems.push(problem);
      }
      const last = page.at(-1);
      return {
        valid: problems.length === 0,
        checked: (firstPage ? keys.length : 0) + page.length,
        problems,
        ...(names.length > page.length && last ? { next: { after: last } } : {}),
      };
    },
  };
};

export type LedgerAnchors = ReturnType<typeof createLedgerAnchors>;
