/**
 * `<data dir>/demo-users.json` — `[{ role, email, password, totpSecret? }]` — written by the
 * seed, and how a person, the e2e harness and the bench log in as a demo user: the admin and
 * credentialing users have TOTP MFA, whose codes are computed here from their secret (the
 * `otpauth` package, as an authenticator app would).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as OTPAuth from 'otpauth';
import type { Role } from '#domain/roles.ts';

export interface DemoLogin {
  role: Role;
  email: string;
  password: string;
  totpSecret?: string;
}

export const DEMO_USERS_FILE = 'demo-users.json';

export const demoUsersPath = (dataDir: string) => join(dataDir, DEMO_USERS_FILE);

export const readDemoUsers = (dataDir: string): DemoLogin[] =>
  existsSync(demoUsersPath(dataDir))
    ? (JSON.parse(readFileSync(demoUsersPath(dataDir), 'utf8')) as DemoLogin[])
    : [];

export const writeDemoUsers = (dataDir: string, users: readonly DemoLogin[]) =>
  writeFileSync(demoUsersPath(dataDir), `${JSON.stringify(users, null, 2)}\n`);

/** The current code of a TOTP secret (base32, 6 digits, 30 s: Cognito's parameters). */
export const totpCode = (secret: string, at = Date.now()): string =>
  new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  }).generate({
    timestamp: at,
  });

type Call = (path: string, body: unknown) => Promise<{ status: number; body: unknown }>;

interface LoginAnswer {
  challenge?: string;
  session?: string;
  idToken?: string;
}

/**
 * Logs in with the password and, when the service asks for it, a TOTP code from the secret.
 * Resolves with the login's final answer (tokens and user), or throws with what was refused.
 */
export const demoLogin = async (call: Call, user: Omit<DemoLogin, 'role'>) => {
  const login = await call('/auth/login', { email: user.email, password: user.password });
  const answer = login.body as LoginAnswer;
  if (login.status !== 200) throw new Error(`login of ${user.email} refused: ${login.status}`);
  if (answer.challenge === undefined) return login.body;
  if (answer.challenge !== 'SOFTWARE_TOKEN_MFA' || user.totpSecret === undefined)
    throw new Error(`login of ${user.email} answered ${answer.challenge}`);
  const tokens = await call('/auth/mfa/challenge', {
    email: user.email,
    session: answer.session,
    code: totpCode(user.totpSecret),
  });
  if (tokens.status !== 200) throw new Error(`MFA code of ${user.email} refused: ${tokens.status}`);
  return tokens.body;
};

/** The one-line command that prints a demo user's current code (README, start banner). */
export const totpCommand = (dataDir: string, role: Role) =>
  `npm run totp -- ${role}${resolve(dataDir) === resolve('.data') ? '' : ` --data ${dataDir}`}`;

/** `npm run totp -- admin` (scripts/demo-users.ts): prints the demo admin's current TOTP code. */
if (import.meta.main) {
  const role = process.argv[2] ?? 'admin';
  const dataFlag = process.argv.indexOf('--data');
  const dataDir =
    dataFlag > 0 ? (process.argv[dataFlag + 1] ?? '.data') : (process.env.SHIFTLINE_DATA_DIR ?? '.data');
  const user = readDemoUsers(dataDir).find((candidate) => candidate.role === role);
  if (user?.totpSecret === undefined) {
    console.error(`no TOTP secret for a demo ${role} in ${demoUsersPath(dataDir)} (npm start seeds it)`);
    process.exit(1);
  }
  console.log(totpCode(user.totpSecret));
}
