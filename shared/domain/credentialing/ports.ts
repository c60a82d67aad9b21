/** What the credentialing services need from storage and from the evidence store. */
import type { LastActor } from '../context.ts';
import type { Page, PageRequest } from '../page.ts';
import type {
  CredentialingDecision,
  CredentialingFlag,
  Evidence,
  FlagStatus,
  MonitoringRun,
  Verification,
} from '../schemas/credentialing.ts';
import type { StoredStaffProfile } from '../staff/ports.ts';

/**
 * A verification record as stored: the API shape, the staff id and owner's sub at the top level
 * (its list key and the policy's owner) and who wrote it. Never updated once written.
 */
export type StoredVerification = Verification & {
  staffId: string;
  ownerUserId: string;
  lastActor: LastActor;
};

export interface VerificationRepository {
  /** Conditional create: a record is written once and never changed. */
  create(record: StoredVerification): Promise<void>;
  get(verificationId: string): Promise<StoredVerification | undefined>;
  /** A staff member's records, newest first. */
  listOfStaff(staffId: string, page: PageRequest): Promise<Page<StoredVerification>>;
}

/** Keeps a source's answer (a response body, a file row) as evidence, content-addressed. */
export interface EvidenceStore {
  keep(kind: string, content: string): Promise<Evidence>;
}

/** The LEIE file a month's rows came from: written once, when every batch is in. */
export interface LeieImport {
  id: string;
  month: string;
  sha256: string;
  rows: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  lastActor: LastActor;
}

/** One stored exclusion row of a month's file. */
export interface StoredExclusion {
  month: string;
  row: number;
  fields: Record<string, string>;
  /** Absent when the file says 0000000000 (unknown). */
  npi?: string;
  /** Normalized `LAST FIRST`; absent for businesses. */
  nameKey?: string;
}

export interface ExclusionRepository {
  importOf(month: string): Promise<LeieImport | undefined>;
  /** The import matching reads from; undefined before the first. */
  activeImport(): Promise<LeieImport | undefined>;
  /** Idempotent puts by month and row: a rerun writes the same items. */
  writeRows(rows: readonly StoredExclusion[]): Promise<void>;
  /** Records the import (conditional create) and points matching at its month, unless a newer one is active. */
  complete(record: LeieImport): Promise<{ activated: boolean }>;
  byNpi(month: string, npi: string): Promise<StoredExclusion[]>;
  byName(month: string, nameKey: string): Promise<StoredExclusion[]>;
}

/** A credentialing decision as stored: immutable, with who made it. */
export type StoredDecision = CredentialingDecision & { lastActor: LastActor };

export interface DecisionRepository {
  /**
   * Writes the decision and the profile's new status in one transaction, the profile on its
   * expected version: PreconditionFailed when the profile changed meanwhile.
   */
  record(
    decision: StoredDecision,
    profile: { previous: StoredStaffProfile; next: StoredStaffProfile },
  ): Promise<void>;
  /** A staff member's decisions, newest first. */
  listOfStaff(staffId: string, page: PageRequest): Promise<Page<StoredDecision>>;
}

export type StoredMonitoringRun = MonitoringRun & { lastActor: LastActor };

export interface MonitoringRunRepository {
  create(run: StoredMonitoringRun): Promise<void>;
  /** Newest first. */
  list(page: PageRequest): Promise<Page<StoredMonitoringRun>>;
}

/** A flag as stored: the API shape plus the owner's sub (the policy's owner, the frame's audience). */
export type StoredFlag = CredentialingFlag & { ownerUserId: string; lastActor: LastActor };

export interface FlagRepository {
  /** Creates the flag and writes the flagged profile in one transaction, the profile on its expected version. */
  raise(flag: StoredFlag, profile: { previous: StoredStaffProfile; next: StoredStaffProfile }): Promise<void>;
  get(flagId: string): Promise<StoredFlag | undefined>;
  /** Resolves an open flag and writes the profile in one transaction: PreconditionFailed when either changed. */
  resolve(
    flag: { previous: StoredFlag; next: StoredFlag },
    profile: { previous: StoredStaffProfile; next: StoredStaffProfile },
  ): Promise<void>;
  /** The work queue of one status, oldest first. */
  listByStatus(status: FlagStatus, page: PageRequest): Promise<Page<StoredFlag>>;
}
