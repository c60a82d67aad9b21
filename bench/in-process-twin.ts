/**
 * A twin inside the bench process (in-memory, free ports, a throwaway data dir): its handlers
 * share this process's modules, so a bench can observe them (e.g. the DynamoDB client's calls).
 * One per process: the handlers' SDK clients are module singletons bound to its endpoints.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTwin, type Twin } from '../local/twin.ts';
import { freePorts } from '../local/twin-ports.ts';
import { ROOT } from '../test/support/twin-process.ts';

export const withInProcessTwin = async <T>(
  label: string,
  run: (twin: Twin, dataDir: string) => Promise<T>,
): Promise<T> => {
  const dataDir = join(ROOT, '.data', 'bench', `${label}-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const twin = await startTwin({
    dataDir,
    inMemory: true,
    ports: await freePorts(),
    confirmationCode: '000000',
  });
  try {
    return await run(twin, dataDir);
  } finally {
    await twin.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};
