/**
 * The writer of offline sync's change log, run by the notify stream consumer for every record
 * it reads (the Main stream's second reader: no third one, docs/decisions.md "Offline sync"):
 * one entry per change per feed that may see it, each expiring after the log's retention.
 */
import { monotonicFactory } from 'ulid';
import type { ItemChange } from '../realtime/frames.ts';
import { changeAudienceOf, feedsOf } from './fan-out.ts';
import type { ChangeLogWriter, SyncLogEntry } from './ports.ts';

/** How long the log keeps a change; a cursor older than this answers 410 (resync). */
export const SYNC_RETENTION_DAYS = 30;
export const SYNC_RETENTION_MS = SYNC_RETENTION_DAYS * 24 * 60 * 60 * 1000;

export interface ChangeLogPorts {
  writer: ChangeLogWriter;
  participantsOf(conversationId: string): Promise<readonly string[]>;
  /** The entry's position: a ULID of the write time, increasing within one process. */
  newSeq?: (now: Date) => string;
}

export const createChangeLog = (ports: ChangeLogPorts) => {
  const monotonic = monotonicFactory();
  const newSeq = ports.newSeq ?? ((now: Date) => monotonic(now.getTime()));
  let pending: Omit<SyncLogEntry, 'seq'>[] = [];
  return {
    /**
     * Notes one item change in every feed of its audience, for `flush`; the number of entries.
     * A stream batch's entries are written together: its messages' and its counter updates' in
     * as few BatchWriteItems as they fill, not one write per record.
     */
    record: async (change: ItemChange, now: Date): Promise<number> => {
      const audience = changeAudienceOf(change);
      if (!audience) return 0;
      const participants = audience.conversationId ? await ports.participantsOf(audience.conversationId) : [];
      const ttl = Math.ceil((now.getTime() + SYNC_RETENTION_MS) / 1000);
      const entries = feedsOf(audience, participants).map((feed) => ({ ...audience.change, feed, ttl }));
      pending.push(...entries);
      return entries.length;
    },

    /** Whether `record` noted entries not yet written. */
    hasPending: (): boolean => pending.length > 0,

    /**
     * Writes the noted entries, in the order noted. Positions are minted now, just before the
     * write, so an entry commits within moments of its position (readers leave the last
     * SYNC_SETTLE_MS of the log for later).
     */
    flush: async (now: Date): Promise<void> => {
      const entries = pending.map((entry): SyncLogEntry => ({ ...entry, seq: newSeq(now) }));
      pending = [];
      if (entries.length > 0) await ports.writer.append(entries);
    },
  };
};
