import type {
  LeieImport,
  StoredDecision,
  StoredExclusion,
  StoredFlag,
  StoredMonitoringRun,
  StoredVerification,
} from '#domain/credentialing/ports.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

/** `VERIF#<id>`: one immutable record per check, listed under its staff member. */
export const verificationEntity = defineEntity<StoredVerification>()({
  kind: ITEM_KINDS.verification,
  primary: {
    pk: { prefix: PREFIX.verification, fields: ['id'] },
    sk: { prefix: PREFIX.verification, fields: ['id'] },
  },
  indexes: {
    /** A staff member's checks (ULIDs: by time): `STAFF#<staffId>` / `VERIF#<id>`. */
    byStaff: {
      index: 'byParent',
      pk: { prefix: PREFIX.staff, fields: ['staffId'] },
      sk: { prefix: PREFIX.verification, fields: ['id'] },
    },
  },
});

/** `DECISION#<id>`: one immutable credentialing decision, listed under its staff member. */
export const decisionEntity = defineEntity<StoredDecision>()({
  kind: ITEM_KINDS.credentialingDecision,
  primary: {
    pk: { prefix: PREFIX.decision, fields: ['id'] },
    sk: { prefix: PREFIX.decision, fields: ['id'] },
  },
  indexes: {
    /** `STAFF#<staffId>` / `DECISION#<id>`. */
    byStaff: {
      index: 'byParent',
      pk: { prefix: PREFIX.staff, fields: ['staffId'] },
      sk: { prefix: PREFIX.decision, fields: ['id'] },
    },
  },
});

/** `MONRUN#<id>`: one immutable monitoring run; every run, newest first: `MONRUN` / `<id>`. */
export const monitoringRunEntity = defineEntity<StoredMonitoringRun>()({
  kind: ITEM_KINDS.monitoringRun,
  primary: {
    pk: { prefix: PREFIX.monitoringRun, fields: ['id'] },
    sk: { prefix: PREFIX.monitoringRun, fields: ['id'] },
  },
  indexes: {
    all: { index: 'byKind', pk: { prefix: PREFIX.monitoringRun, fields: [] }, sk: { fields: ['id'] } },
  },
});

/** S3 object key of a source's answer kept as evidence: by source and content hash, no PHI. */
export const evidenceObjectKey = (kind: string, sha256: string): string =>
  `${['evidence', kind, sha256].join('/')}.json`;

// Row numbers as text: padded so row 10 sorts after row 9.
const paddedRow = (row: number) => String(row).padStart(7, '0');

/** `LEIE#<month>` / `<row>`: a month's rows; found by NPI and by name on sparse indexes. */
export const leieExclusionEntity = defineEntity<StoredExclusion>()({
  kind: ITEM_KINDS.leieExclusion,
  primary: { pk: { prefix: PREFIX.leie, fields: ['month'] }, sk: { fields: ['row'] } },
  indexes: {
    /** `LEIENPI#<month>#<npi>` / `<row>`, for rows whose NPI is known. */
    byNpi: {
      index: 'byParent',
      pk: { prefix: PREFIX.leieByNpi, fields: ['month', 'npi'] },
      sk: { fields: ['row'] },
      when: (row) => row.npi !== undefined,
    },
    /** `LEIENAME#<month>#<LAST FIRST>` / `<row>`, for rows that name a person. */
    byName: {
      index: 'byKind',
      pk: { prefix: PREFIX.leieByName, fields: ['month', 'nameKey'] },
      sk: { fields: ['row'] },
      when: (row) => row.nameKey !== undefined,
    },
  },
  formats: { row: paddedRow },
});

/** `LEIE#<month>` / `IMPORT`: written once, when every batch of the month is in (audited). */
export const leieImportEntity = defineEntity<LeieImport>()({
  kind: ITEM_KINDS.leieImport,
  primary: { pk: { prefix: PREFIX.leie, fields: ['month'] }, sk: { prefix: 'IMPORT', fields: [] } },
});

export interface LeieActiveMonth {
  month: string;
  importId: string;
  activatedAt: string;
}

/** `LEIE` / `ACTIVE`: the month matching reads, flipped after an import completes. */
export const leieActiveMonthEntity = defineEntity<LeieActiveMonth>()({
  kind: ITEM_KINDS.leieActiveMonth,
  primary: { pk: { prefix: PREFIX.leie, fields: [] }, sk: { prefix: 'ACTIVE', fields: [] } },
});

/** `FLAG#<id>` (the id of the record that raised it); the queue of a status, oldest first: `FLAGQUEUE#<status>` / `<id>`. */
export const credentialingFlagEntity = defineEntity<StoredFlag>()({
  kind: ITEM_KINDS.credentialingFlag,
  primary: {
    pk: { prefix: PREFIX.credentialingFlag, fields: ['id'] },
    sk: { prefix: PREFIX.credentialingFlag, fields: ['id'] },
  },
  indexes: {
    byStatus: {
      index: 'byKind',
      pk: { prefix: PREFIX.flagQueue, fields: ['status'] },
      sk: { fields: ['id'] },
    },
  },
});
