/**
 * Installs the system packages the twin and the tests need when they are missing: Java for
 * DynamoDB Local, Chromium for the /docs browser check. Uses apt-get as root; otherwise
 * says exactly what to run.
 *
 *   node scripts/ensure-system.ts java [chromium]
 */
import { execFileSync, spawnSync } from 'node:child_process';

const PACKAGES = {
  // default-jre-headless: OpenJDK 17 on Debian 12, 21 on Debian 13 (which has no openjdk-17).
  java: { probe: ['java', '-version'], apt: 'default-jre-headless' },
  chromium: { probe: ['chromium', '--version'], apt: 'chromium' },
} as const;

type Need = keyof typeof PACKAGES;

const present = (need: Need) => {
  const [command, ...args] = PACKAGES[need].probe;
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
};

export const ensureSystem = (needs: readonly Need[]) => {
  const missing = needs.filter((need) => !present(need));
  if (missing.length === 0) return;
  const packages = missing.map((need) => PACKAGES[need].apt);
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error(
      `missing ${missing.join(', ')}: install with \`sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\``,
    );
  }
  console.log(`installing ${packages.join(', ')} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
  const stillMissing = missing.filter((need) => !present(need));
  if (stillMissing.length > 0) throw new Error(`apt-get did not provide ${stillMissing.join(', ')}`);
};

if (import.meta.main) {
  const needs = process.argv.slice(2).filter((arg): arg is Need => arg in PACKAGES);
  try {
    ensureSystem(needs.length > 0 ? needs : ['java']);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
