/** Functions run by EventBridge schedules (fired in the twin with POST /schedules/<name>/fire). */
import type { FunctionDefinition } from './functions.ts';

/** A function run by an EventBridge schedule (the credential expiry sweep). */
export interface ScheduledFunctionDefinition extends FunctionDefinition {
  /** EventBridge cron fields, UTC; `day` (of the month) defaults to every day. */
  schedule: { minute: string; hour: string; day?: string };
}

// Capabilities register their schedules here as they land.
export const SCHEDULED_FUNCTIONS: Record<string, ScheduledFunctionDefinition> = {
  credentialExpiry: {
    entry: 'functions/schedule/credential-expiry.ts',
    description:
      'Daily credential expiry sweep: warnings at 90/60/30/14/7/0 days, past-due credentials expire',
    access: ['main:write'],
    mainWrites: ['credentials'],
    // 06:00 UTC: after midnight everywhere in the US, before the working day.
    schedule: { minute: '0', hour: '6' },
  },
  exclusionMonitoring: {
    entry: 'functions/schedule/exclusion-monitoring.ts',
    description: 'Monthly exclusion monitoring: approved staff re-screened against the LEIE, matches flagged',
    // documents:write keeps each screen's evidence.
    access: ['main:write', 'documents:write'],
    mainWrites: ['monitoringRuns', 'credentialingFlags', 'staffProfiles', 'verifications'],
    documentPrefixes: ['evidence/'],
    // The 2nd at 07:00 UTC: after OIG's monthly file is out and imported.
    schedule: { minute: '0', hour: '7', day: '2' },
  },
  recredentialingSweep: {
    entry: 'functions/schedule/recredentialing-sweep.ts',
    description: 'Daily recredentialing sweep: warnings at 90/60/30/14/7/0 days before due, then overdue',
    access: ['main:write'],
    mainWrites: ['credentialingFlags', 'staffProfiles'],
    // After the credential expiry sweep, on the same daily cadence.
    schedule: { minute: '15', hour: '6' },
  },
  leieDownload: {
    entry: 'functions/schedule/leie-download.ts',
    description: "Monthly LEIE download: OIG's UPDATED.csv fetched from the configured URL and imported",
    access: ['main:write'],
    mainWrites: ['leie'],
    memoryMb: 1024,
    // The 2nd at 05:00 UTC: after OIG publishes the month's file, before exclusionMonitoring (07:00).
    schedule: { minute: '0', hour: '5', day: '2' },
  },
  ledgerDigest: {
    entry: 'functions/schedule/ledger-digest.ts',
    description: 'Hourly ledger digest: every changed chain head, signed (KMS) into the Object Lock bucket',
    // Reads the hour's entries; creates the digest and reads the previous one; signs with the key.
    access: ['ledger:read', 'evidence:read', 'evidence:write', 'ledger:sign'],
    // Five minutes past: the stream consumer has caught up with the hour (the window also
    // covers the hour before, for a consumer running late).
    schedule: { minute: '5', hour: '*' },
  },
  ledgerArchive: {
    entry: 'functions/schedule/ledger-archive.ts',
    description:
      'Daily ledger archive: days past the retention exported to the Object Lock bucket, then expired (ttl)',
    // Reads the day's entries and each chain's head; creates and reads back the day's objects;
    // sets ttl on exported entries (the ledger's resource policy allows that role nothing else).
    access: ['ledger:read', 'evidence:read', 'evidence:write', 'ledger:expire'],
    memoryMb: 1024,
    // 04:30 UTC: a quiet hour, clear of the hourly digest at :05.
    schedule: { minute: '30', hour: '4' },
  },
};
