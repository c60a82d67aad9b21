import { type App, Stack } from 'aws-cdk-lib';
import type { ScheduledFunctionDefinition, StreamConsumerDefinition } from '#shared/functions.ts';
import { Alerts } from '../../infra/alerts.ts';
import { Backup } from '../../infra/backup.ts';
import { Data } from '../../infra/data.ts';
import { EncryptionKey } from '../../infra/encryption.ts';
import { ScheduledFunction } from '../../infra/scheduled-function.ts';
import { StreamConsumer } from '../../infra/stream-consumer.ts';

// The registry has no consumers or schedules yet: these stand in for audit and the expiry
// sweep. Any existing entry file will do, since the tests skip bundling.
export const PROBE_CONSUMER: StreamConsumerDefinition = {
  entry: 'functions/ws/connect.ts',
  description: 'Probe stream consumer',
  access: ['main:read', 'ledger:read', 'ledger:append'],
  kinds: ['Contract', 'Credential'],
  batchSize: 50,
  maxBatchingWindowSeconds: 2,
  retryAttempts: 5,
  parallelization: 1,
};

export const PROBE_SCHEDULE: ScheduledFunctionDefinition = {
  entry: 'functions/ws/disconnect.ts',
  description: 'Probe scheduled function',
  access: ['main:write'],
  mainWrites: ['connections'],
  schedule: { minute: '15', hour: '3' },
};

/** A throwaway stack with one StreamConsumer and one ScheduledFunction on the real tables. */
export const buildProbeStack = (app: App) => {
  const stack = new Stack(app, 'Probe');
  const { key } = new EncryptionKey(stack, 'Encryption');
  const alerts = new Alerts(stack, 'Alerts', { key, email: undefined });
  const data = new Data(stack, 'Data', { key });
  new Backup(stack, 'Backup', { key, tables: [data.main, data.ledger] });
  const targets = { key, main: data.main, ledger: data.ledger };
  const consumer = new StreamConsumer(stack, 'ProbeConsumer', {
    definition: PROBE_CONSUMER,
    table: data.main,
    targets,
    alerts: alerts.topic,
  });
  const schedule = new ScheduledFunction(stack, 'ProbeSchedule', {
    definition: PROBE_SCHEDULE,
    targets,
    alerts: alerts.topic,
  });
  return { stack, key, alerts, data, consumer, schedule };
};
