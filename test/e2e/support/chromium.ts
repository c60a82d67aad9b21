/** Debian's headless Chromium, for pages the twin serves (the /docs and GraphiQL playgrounds). */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A browser with its own profile; `close` removes the profile. */
export const headlessChromium = () => {
  const profile = mkdtempSync(join(tmpdir(), 'shiftline-chromium-'));
  // These machines have no network beyond package registries: keep Chromium from calling home.
  const chromium = (...args: string[]) =>
    run(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=15000',
        ...args,
      ],
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
    );
  return { chromium, close: () => rmSync(profile, { recursive: true, force: true }) };
};
