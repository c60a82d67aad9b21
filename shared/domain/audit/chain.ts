/**
 * Verifying a chain: every entry must hash to its `hash`, name its predecessor's hash, and
 * follow it by exactly one seq; and the newest entry must account for every change Main has
 * counted on the chain's source items, so deleting the newest entries is caught too (a chain
 * cut short is internally consistent; only the counts in Main can tell).
 */
import type { ChainVerdict } from '../schemas/audit.ts';
import { GENESIS_HASH, hashOf, type LedgerEntry, unhashedOf } from './entry.ts';

/** The first seq at which the entries, oldest first, stop forming a chain. */
export const firstBreak = (entries: readonly LedgerEntry[]): number | undefined => {
  let prevHash = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const seq = index + 1;
    if (entry.seq !== seq || entry.prevHash !== prevHash || hashOf(unhashedOf(entry)) !== entry.hash) {
      return seq;
    }
    prevHash = entry.hash;
  }
  return undefined;
};

/**
 * `counted`: each source item's version in Main now. The newest entry records the versions it
 * covers; a source Main counts further than that lost its newest entries (or they are still
 * on their way: verify a chain once the ledger has caught up).
 */
export const verifyChain = (
  entries: readonly LedgerEntry[],
  counted: Readonly<Record<string, number>>,
): ChainVerdict => {
  const newest = entries.at(-1);
  const headHash = newest?.hash ?? GENESIS_HASH;
  const verdict = (brokenAt?: number): ChainVerdict =>
    brokenAt === undefined
      ? { valid: true, entries: entries.length, headHash }
      : { valid: false, entries: entries.length, headHash, brokenAt };
  const broken = firstBreak(entries);
  if (broken !== undefined) return verdict(broken);
  const recorded = newest?.positions ?? {};
  const sources = new Set([...Object.keys(recorded), ...Object.keys(counted)]);
  const differences = [...sources].map((source) => (counted[source] ?? 0) - (recorded[source] ?? 0));
  // Main counts more: entries after the newest are gone. Fewer: the newest claims changes Main never had.
  if (differences.some((difference) => difference > 0)) return verdict(entries.length + 1);
  if (differences.some((difference) => difference < 0)) return verdict(entries.length);
  return verdict();
};
