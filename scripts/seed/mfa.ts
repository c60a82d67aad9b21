/**
 * TOTP MFA for the demo users whose roles require it (admin, credentialing), enrolled through
 * the same service as a person would: a password login, AssociateSoftwareToken, a first code.
 * A secret already in demo-users.json is kept while the user is still enrolled; otherwise the
 * user's MFA is reset and enrolled anew (a data dir whose demo-users.json was lost).
 */
import { cognitoMfa } from '#data/cognito-mfa.ts';
import { cognitoSessions } from '#data/cognito-sessions.ts';
import { userMfaStore } from '#data/user-mfa.ts';
import { mfaRequired } from '#domain/identity/mfa.ts';
import { mfaService } from '#shared/services/mfa.ts';
import { type DemoLogin, totpCode } from '../demo-users.ts';
import type { DemoUser } from '../seed.ts';

const enrol = async (user: DemoUser, password: string): Promise<string> => {
  await cognitoMfa.reset(user.id);
  await userMfaStore.clearEnrolment(user.id);
  const outcome = await cognitoSessions.passwordLogin(user.email, password);
  if (outcome.kind !== 'tokens') throw new Error(`demo ${user.role} login answered ${outcome.challenge}`);
  const { accessToken } = outcome.tokens;
  const { secretCode } = await mfaService.setupWithToken(user.id, accessToken);
  await mfaService.verifyWithToken(user.id, accessToken, totpCode(secretCode), `seed-mfa-${user.role}`);
  return secretCode;
};

/** The TOTP secret of each demo user whose role requires MFA, by email. */
export const enrolDemoMfa = async (
  users: readonly DemoUser[],
  password: string,
  known: readonly DemoLogin[],
): Promise<Map<string, string>> => {
  const secrets = new Map<string, string>();
  for (const user of users.filter((candidate) => mfaRequired([candidate.role]))) {
    const kept = known.find((entry) => entry.email === user.email)?.totpSecret;
    const secret =
      kept !== undefined && (await userMfaStore.enrolled(user.id)) ? kept : await enrol(user, password);
    secrets.set(user.email, secret);
  }
  return secrets;
};
