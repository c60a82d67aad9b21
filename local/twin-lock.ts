/**
 * One twin per data folder: `<data dir>/twin.pid` names the twin using it. A second start on the
 * same folder while that twin runs is refused; a pid file left by a twin that died is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const isTwin = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start.ts');
  } catch {
    // No /proc: a live process with that pid is taken to be the twin.
    return true;
  }
};

/** Claims the folder for this process; the returned function releases it. */
export const claimDataDir = (dataDir: string): (() => void) => {
  const file = join(dataDir, 'twin.pid');
  const holder = Number.parseInt(readFileOr(file, ''), 10);
  if (Number.isInteger(holder) && holder !== process.pid && isTwin(holder))
    throw new Error(
      `another twin (pid ${holder}) is running on ${dataDir}: stop it first, or use another SHIFTLINE_DATA_DIR`,
    );
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
};

const readFileOr = (file: string, fallback: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
};
