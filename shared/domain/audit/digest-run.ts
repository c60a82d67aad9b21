/**
 * The hourly `ledgerDigest` run: every chain head that changed in the window, the previous
 * digest's link, signed and written once to the locked bucket. A redelivered or repeated run
 * for the same hour finds its key taken and writes nothing (S3 conditional write).
 */
import type { ListPosition } from '../repository.ts';
import {
  buildDigest,
  type DigestLink,
  digestKeyOf,
  headsOf,
  periodOf,
  type SignedDigest,
  sha256Hex,
  signedBytesOf,
} from './digest.ts';
import type { LedgerEntry } from './entry.ts';
import type { DigestSigner, EvidenceStore, LedgerReader } from './ports.ts';

const DAY = 86_400_000;
/** How far back a run looks for the previous digest (a longer outage starts a new digest chain). */
export const PREVIOUS_LOOKBACK_DAYS = 31;
const SEARCH_PAGE = 1000;

export interface DigestRunResult {
  key: string;
  written: boolean;
  chains: number;
  previous: string | null;
}

const dayPrefix = (time: Date) => digestKeyOf(time).replace(/\d{2}\.json$/, '');

/** The newest digest before `key`, walking day prefixes back. */
export const previousDigest = async (store: EvidenceStore, key: string, periodStart: Date) => {
  for (let back = 0; back <= PREVIOUS_LOOKBACK_DAYS; back += 1) {
    const keys = await store.list(dayPrefix(new Date(periodStart.getTime() - back * DAY)));
    const before = keys.filter((candidate) => candidate < key).at(-1);
    if (before) return before;
  }
  return undefined;
};

export const createDigestRun = (deps: {
  reader: LedgerReader;
  store: EvidenceStore;
  signer: DigestSigner;
}) => {
  const { reader, store, signer } = deps;

  const entriesIn = async (window: { from: string; to: string }) => {
    const entries: LedgerEntry[] = [];
    let position: ListPosition | undefined;
    do {
      const page = await reader.search(window, SEARCH_PAGE, position);
      entries.push(...page.items);
      position = page.next;
    } while (position);
    return entries;
  };

  const linkTo = async (key: string, periodStart: Date): Promise<DigestLink | null> => {
    const previousKey = await previousDigest(store, key, periodStart);
    if (!previousKey) return null;
    const found = await store.read(previousKey);
    // Listed a moment ago and gone now: the link still names it, so verify reports it missing.
    if (!found) return { key: previousKey, sha256: '' };
    return {
      key: previousKey,
      sha256: sha256Hex(found.bytes),
      ...(found.versionId ? { versionId: found.versionId } : {}),
    };
  };

  return async (time: Date, now: Date): Promise<DigestRunResult> => {
    const period = periodOf(time);
    const key = digestKeyOf(period.from);
    const draft = buildDigest({ period, createdAt: now, chains: [], previous: null });
    const chains = headsOf(
      await entriesIn({ from: draft.window.from, to: new Date(period.to.getTime() - 1).toISOString() }),
    );
    const previous = await linkTo(key, period.from);
    const digest = { ...draft, chains, previous };
    const signature = await signer.sign(signedBytesOf(digest));
    const signed: SignedDigest = {
      digest,
      signature: { algorithm: 'ECDSA_SHA_256', keyId: signer.keyId, value: signature.toString('base64') },
    };
    const created = await store.create(key, Buffer.from(JSON.stringify(signed)), 'application/json');
    return { key, written: created !== 'exists', chains: chains.length, previous: previous?.key ?? null };
  };
};
