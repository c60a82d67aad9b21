/**
 * Brings one twin up for the whole e2e run (in-memory DynamoDB, free ports, a throwaway data
 * dir under .data/) exactly as `npm start` does, and tears it down afterwards.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { WRITE_SCOPE_REFUSALS } from '../../local/write-scopes.ts';
import { ROOT, startTwinProcess } from '../support/twin-process.ts';

export default async function setup(project: TestProject) {
  const dataDir = join(ROOT, '.data', `e2e-${process.pid}-${Date.now()}`);
  mkdirSync(dataDir, { recursive: true });
  const twin = await startTwinProcess({
    dataDir,
    inMemory: true,
    logFile: join(ROOT, '.data', 'e2e-twin.log'),
  });
  project.provide('twin', twin.info);
  return async () => {
    await twin.stop();
    // A write IAM would refuse fails the run even where the code swallowed the error.
    const refusals = join(dataDir, WRITE_SCOPE_REFUSALS);
    const refused = existsSync(refusals) ? readFileSync(refusals, 'utf8').trim() : '';
    rmSync(dataDir, { recursive: true, force: true });
    if (refused) throw new Error(`writes outside the writing function's mainWrites:\n${refused}`);
  };
}
