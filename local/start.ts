/**
 * `npm start`: the whole backend on this machine. Installs Java when missing, starts the twin
 * with data under .data/ (reused by the next start), seeds demo users on the first start,
 * prints the URLs and logins, and stops every part on Ctrl-C.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readDemoUsers, totpCommand } from '../scripts/demo-users.ts';
import { ensureSystem } from '../scripts/ensure-system.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedTwin } from '../scripts/seed.ts';
import { startTwin } from './twin.ts';
import { claimDataDir } from './twin-lock.ts';
import { assertPortsFree, defaultPorts, freePorts } from './twin-ports.ts';

/** Runs a start-up check; a refusal is a clear message and exit code 1, not a stack trace. */
async function claimOrExit<T>(check: () => T | Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

const dataDir = resolve(process.env.SHIFTLINE_DATA_DIR ?? '.data');
// Opt-in: a fixed code for every confirmation, reset and temporary password. Unset, each code is
// random and arrives as a mail file under <data dir>/mail/.
const confirmationCode = process.env.SHIFTLINE_CONFIRMATION_CODE || undefined;
// The e2e harness runs a throwaway twin: DynamoDB in memory, every port free.
const inMemory = process.env.SHIFTLINE_IN_MEMORY === '1';
const ports = process.env.SHIFTLINE_FREE_PORTS === '1' ? await freePorts() : defaultPorts();
// The e2e harness turns it on: a write IAM would refuse in AWS fails in the twin too.
const checkWriteScopes = process.env.SHIFTLINE_CHECK_WRITE_SCOPES === '1';

ensureSystem(['java']);
mkdirSync(dataDir, { recursive: true });
const releaseDataDir = await claimOrExit(() => claimDataDir(dataDir));
await claimOrExit(() => assertPortsFree(ports));
console.log(`starting the Shiftline twin (data in ${dataDir}) …`);
const twin = await startTwin({
  dataDir,
  inMemory,
  ports,
  checkWriteScopes,
  ...(confirmationCode ? { confirmationCode } : {}),
});

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping …');
  await twin.stop();
  releaseDataDir();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const seededMarker = join(dataDir, 'seeded');
if (!existsSync(seededMarker)) {
  await seedTwin(twin, dataDir);
  writeFileSync(seededMarker, new Date().toISOString());
}

/** Each demo login; a TOTP secret and the command that prints its current code where MFA applies. */
const demoLines = () => {
  const secrets = new Map(readDemoUsers(dataDir).map((user) => [user.email, user.totpSecret]));
  return DEMO_USERS.map((user) => {
    const secret = secrets.get(user.email);
    const mfa = secret ? `  TOTP ${secret}  code: ${totpCommand(dataDir, user.role)}` : '';
    return `  ${user.role.padEnd(14)} ${user.email}${mfa}`;
  }).join('\n');
};

// One machine-readable line for the e2e harness (and scripts) that start the twin.
console.log(`TWIN_READY ${JSON.stringify({ urls: twin.urls, confirmationCode, dataDir })}`);
console.log(`
Shiftline is running.
  HTTP API     ${twin.urls.api}
  WebSocket    ${twin.urls.ws}/?token=<idToken>
  API docs     ${twin.urls.docs}
  Scheduler    ${twin.urls.scheduler}  (POST /schedules/<name>/fire — twin only)
  Email        ${join(dataDir, 'mail')}/  (codes and temporary passwords, one JSON file per email)${
    confirmationCode ? `\n  Fixed code   ${confirmationCode} (SHIFTLINE_CONFIRMATION_CODE)` : ''
  }

Demo logins (password ${DEMO_PASSWORD}; admin and credentialing answer a TOTP challenge):
${demoLines()}

Try: curl -s -X POST ${twin.urls.api}/auth/login -H 'content-type: application/json' \\
       -d '{"email":"admin@shiftline.test","password":"${DEMO_PASSWORD}"}'
Press Ctrl-C to stop.`);
