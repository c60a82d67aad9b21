/**
 * Appending a change to its chain: exactly once per stream record, never forking.
 *
 * - The next seq follows the chain's newest entry; the put is conditional on that seq being
 *   free, so two writers (two shards feeding one chain) cannot both take it: the loser reads
 *   the chain again and appends after the winner.
 * - A replayed record is recognised without a lookup table: every entry carries the version
 *   of each source item as of that entry (`positions`), and a source item's changes arrive in
 *   order, so a change whose version the newest entry already covers is in the ledger.
 *   Items that carry no version are recognised by their stream record id among the newest
 *   entries.
 * - A change that arrives ahead of an earlier change of the same item (the earlier one failed
 *   and is being retried, or was dead-lettered) is refused, so the chain never skips one.
 */
import { advance, type ChainHead, type ChainHeads, headOf, REPLAY_WINDOW } from './chain-heads.ts';
import { GENESIS_HASH, sealEntry } from './entry.ts';
import { chainKeyOf, type EntryDraft } from './item-changes.ts';
import type { LedgerWriter } from './ports.ts';

export { REPLAY_WINDOW } from './chain-heads.ts';

const MAX_ATTEMPTS = 5;

export type AppendOutcome = 'appended' | 'replayed';

export class ChangeOutOfOrder extends Error {
  override name = 'ChangeOutOfOrder';
}

export class ChainContended extends Error {
  override name = 'ChainContended';
}

const alreadyIn = (draft: EntryDraft, head: ChainHead): boolean => {
  if (draft.position === undefined) return head.eventIds.includes(draft.fields.eventId);
  return (head.positions[draft.fields.sourceKey] ?? 0) >= draft.position;
};

/** An empty chain's head: what a chain opened by its item's creation starts from. */
const EMPTY_CHAIN: ChainHead = { seq: 0, hash: GENESIS_HASH, positions: {}, eventIds: [], fullWindow: true };

/**
 * The head carried from this container's last append to the chain, when it can answer for
 * `draft`; for the creation of an item alone in its chain (`opensChain`), the empty chain — a
 * past state of every chain, trusted as a carried head is: if seq 1 is taken (a replay), the
 * Put is refused and the chain read.
 */
const carried = (heads: ChainHeads | undefined, chain: string, draft: EntryDraft) => {
  const head = heads?.get(chain) ?? (draft.opensChain ? EMPTY_CHAIN : undefined);
  return head !== undefined && (draft.position !== undefined || head.fullWindow) ? head : undefined;
};

/**
 * Appends `draft` to its chain. With `heads`, the chain's head is carried between appends
 * (no Query while this container is the chain's only writer); anything but the ordinary case —
 * a taken seq, a replay, a version out of order — reads the chain again before deciding.
 */
export const appendChange = async (
  ledger: LedgerWriter,
  draft: EntryDraft,
  heads?: ChainHeads,
): Promise<AppendOutcome> => {
  const chain = chainKeyOf(draft.chain);
  let head = carried(heads, chain, draft);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; ) {
    const fromCarried = head !== undefined;
    if (head === undefined) {
      // A versioned change needs only the newest entry (its positions); others look for their record id.
      const limit = draft.position === undefined ? REPLAY_WINDOW : 1;
      head = headOf(await ledger.newest(draft.chain, limit), limit);
      attempt += 1;
    }
    const positions = { ...head.positions };
    const known = draft.position === undefined ? 0 : (positions[draft.fields.sourceKey] ?? 0);
    const inOrder = draft.position === undefined || draft.position === known + 1;
    // A carried head decides only the ordinary case; a replay or a gap is decided on a fresh read.
    if (fromCarried && (!inOrder || alreadyIn(draft, head))) {
      head = undefined;
      continue;
    }
    if (alreadyIn(draft, head)) return 'replayed';
    if (draft.position !== undefined) {
      if (!inOrder) {
        throw new ChangeOutOfOrder(
          `${draft.chain.entityType} ${draft.chain.entityId}: version ${draft.position} arrived after ${known}`,
        );
      }
      positions[draft.fields.sourceKey] = draft.position;
    }
    const entry = sealEntry({ ...draft.fields, seq: head.seq + 1, prevHash: head.hash, positions });
    heads?.delete(chain);
    if (await ledger.append(entry)) {
      heads?.set(chain, advance(head, entry));
      return 'appended';
    }
    head = undefined;
  }
  throw new ChainContended(
    `${draft.chain.entityType} ${draft.chain.entityId}: seq taken ${MAX_ATTEMPTS} times`,
  );
};
