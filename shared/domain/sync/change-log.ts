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
  return {
    /** Logs one item change in every feed of its audience; the number of entries written. */
    record: async (change: ItemChange, now: Date): Promise<number> => {
      const audience = changeAudienceOf(change);
      if (!audience) return 0;
      const participants = audience.conversationId ? await ports.participantsOf(audience.conversationId) : [];
      const ttl = Math.ceil((now.getTime() + SYNC_RETENTION_MS) / 1000);
      const entries: SyncLogEntry[] = feedsOf(audience, participants).map((feed) => ({
        ...audience.change,
        feed,
        seq: newSeq(now),
        ttl,
      }));
      await ports.writer.append(entries);
      return entries.length;
    },
  };
};
