/**
 * The contract content hash: SHA-256 (hex) of the RFC 8785 canonical JSON of the versioned
 * content. Canonical JSON makes the hash independent of key order and number spelling, so a
 * client can recompute it from the contract it reads; absent optional fields are omitted.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ContractContent } from '../schemas/contracts.ts';

/** Exactly the versioned fields: anything else on the item (status, ids) never changes the hash. */
export const versionedContentOf = (source: ContractContent): ContractContent => ({
  title: source.title,
  terms: source.terms,
  startDate: source.startDate,
  endDate: source.endDate,
  rate: source.rate,
  location: source.location,
  requiredCredentialTypes: source.requiredCredentialTypes,
});

export const contentHashOf = (content: ContractContent): string => {
  const canonical = canonicalize(versionedContentOf(content));
  if (canonical === undefined) throw new Error('contract content is not serialisable');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
};
