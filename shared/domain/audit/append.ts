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
import { GENESIS_HASH, type LedgerEntry, sealEntry } from './entry.ts';
import type { EntryDraft } from './item-changes.ts';
import type { LedgerWriter } from './ports.ts';

/** How many of the newest entries a record id is looked for in (items without a version). */
export const REPLAY_WINDOW = 25;
const MAX_ATTEMPTS = 5;

export type AppendOutcome = 'appended' | 'replayed';

export class ChangeOutOfOrder extends Error {
  override name = 'ChangeOutOfOrder';
}

export class ChainContended extends Error {
  override name = 'ChainContended';
}

const alreadyIn = (draft: EntryDraft, newest: readonly LedgerEntry[]): boolean => {
  if (draft.position === undefined) return newest.some((entry) => entry.eventId === draft.fields.eventId);
  return (newest[0]?.positions[draft.fields.sourceKey] ?? 0) >= draft.position;
};

export const appendChange = async (ledger: LedgerWriter, draft: EntryDraft): Promise<AppendOutcome> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    // A versioned change needs only the newest entry (its positions); others look for their record id.
    const newest = await ledger.newest(draft.chain, draft.position === undefined ? REPLAY_WINDOW : 1);
    if (alreadyIn(draft, newest)) return 'replayed';
    const head = newest[0];
    const positions = { ...head?.positions };
    if (draft.position !== undefined) {
      const known = positions[draft.fields.sourceKey] ?? 0;
      if (draft.position !== known + 1) {
        throw new ChangeOutOfOrder(
          `${draft.chain.entityType} ${draft.chain.entityId}: version ${draft.position} arrived after ${known}`,
        );
      }
      positions[draft.fields.sourceKey] = draft.position;
    }
    const entry = sealEntry({
      ...draft.fields,
      seq: (head?.seq ?? 0) + 1,
      prevHash: head?.hash ?? GENESIS_HASH,
      positions,
    });
    if (await ledger.append(entry)) return 'appended';
  }
  throw new ChainContended(
    `${draft.chain.entityType} ${draft.chain.entityId}: seq taken ${MAX_ATTEMPTS} times`,
  );
};
