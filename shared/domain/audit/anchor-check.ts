/**
 * What /audit/verify concludes, as pure functions: a digest object against its signature and
 * the link the next digest recorded, and a chain of the ledger against every head the digests
 * named for it. A chain cut short, rewritten (even with every hash recomputed) or deleted
 * differs from the heads signed outside the database; a digest deleted or altered breaks the
 * digest chain or its signature.
 */
import { firstBreak } from './chain.ts';
import { type DigestedChain, type SignedDigest, sha256Hex, signedBytesOf } from './digest.ts';
import type { LedgerEntry } from './entry.ts';

export const PROBLEM_KINDS = [
  'chain_missing',
  'chain_truncated',
  'chain_rewritten',
  'chain_forked',
  'digest_missing',
  'digest_invalid',
] as const;

export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface AnchorProblem {
  kind: ProblemKind;
  entityType?: string;
  entityId?: string;
  digestKey?: string;
}

/** Checks a signature over bytes (the public key's ECDSA P-256 with SHA-256). */
export type SignatureCheck = (bytes: Buffer, signature: Buffer) => boolean;

/** A stored digest object, parsed; undefined when it is not one (altered beyond parsing). */
export const parseDigest = (bytes: Buffer): SignedDigest | undefined => {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as Partial<SignedDigest>;
    const { digest, signature } = parsed;
    if (!digest || !signature || !Array.isArray(digest.chains) || typeof signature.value !== 'string') {
      return undefined;
    }
    return { digest, signature };
  } catch {
    return undefined;
  }
};

/** A digest object's own problem: unreadable, or its signature does not hold. */
export const digestProblem = (
  key: string,
  bytes: Buffer,
  verifySignature: SignatureCheck,
): AnchorProblem | undefined => {
  const signed = parseDigest(bytes);
  const valid =
    signed !== undefined &&
    verifySignature(signedBytesOf(signed.digest), Buffer.from(signed.signature.value, 'base64'));
  return valid ? undefined : { kind: 'digest_invalid', digestKey: key };
};

/** The link a digest recorded to its predecessor, against the predecessor's bytes now. */
export const linkProblem = (
  link: { key: string; sha256: string },
  bytes: Buffer | undefined,
): AnchorProblem | undefined => {
  if (bytes === undefined) return { kind: 'digest_missing', digestKey: link.key };
  return sha256Hex(bytes) === link.sha256 ? undefined : { kind: 'digest_invalid', digestKey: link.key };
};

/** A head a digest named, with the digest that named it. */
export interface NamedHead extends DigestedChain {
  digestKey: string;
}

/**
 * The chain (oldest first, as read now) against the heads digests named for it. The newest
 * head decides between truncated and rewritten; an older head the chain no longer holds while
 * it matches the newest means the chain was rewritten and digested again: a fork.
 */
export const chainProblem = (
  entries: readonly LedgerEntry[],
  heads: readonly NamedHead[],
): AnchorProblem | undefined => {
  const newestHead = [...heads].sort((a, b) => b.entries - a.entries)[0];
  if (!newestHead) return undefined;
  const { entityType, entityId } = newestHead;
  const problem = (kind: ProblemKind, digestKey: string): AnchorProblem => ({
    kind,
    entityType,
    entityId,
    digestKey,
  });
  if (entries.length === 0) return problem('chain_missing', newestHead.digestKey);
  const holds = (head: NamedHead) => entries[head.entries - 1]?.hash === head.headHash;
  const conflicting = heads.find(
    (head) => head.entries === newestHead.entries && head.headHash !== newestHead.headHash,
  );
  if (conflicting) return problem('chain_forked', conflicting.digestKey);
  if (!holds(newestHead)) {
    const shorter = entries.length < newestHead.entries;
    return problem(shorter ? 'chain_truncated' : 'chain_rewritten', newestHead.digestKey);
  }
  const lost = heads.find((head) => !holds(head));
  if (lost) return problem('chain_forked', lost.digestKey);
  // Edited in place without rehashing: the heads still match, the links do not.
  if (firstBreak(entries) !== undefined) return problem('chain_rewritten', newestHead.digestKey);
  return undefined;
};
