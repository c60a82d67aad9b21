/**
 * Demo data: one user per role with a known password (printed at start), then each
 * capability's demo data, written through its services as a demo user would. Idempotent: a
 * second run finds the users and leaves existing data as it is. `npm run seed` seeds the
 * running twin (it runs in this process, with the twin's environment).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ServiceContext } from '#domain/context.ts';
import type { Role } from '#domain/roles.ts';
import { LOCAL_REGION, localCredentials } from '../local/local-aws.ts';
import type { Twin } from '../local/twin.ts';
import { type DemoLogin, readDemoUsers, totpCommand, writeDemoUsers } from './demo-users.ts';

export const DEMO_PASSWORD = 'Shiftline-Demo-2026!';

export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Role }> = [
  { email: 'admin@shiftline.test', name: 'Avery Admin', role: 'admin' },
  { email: 'recruiter@shiftline.test', name: 'Riley Recruiter', role: 'recruiter' },
  { email: 'credentialing@shiftline.test', name: 'Casey Credentialing', role: 'credentialing' },
  { email: 'staff@shiftline.test', name: 'Sam Staff', role: 'staff' },
];

export interface SeedTarget {
  cognitoEndpoint: string;
  userPoolId: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Where demo-users.json goes (logins and TOTP secrets): the twin's data dir. */
  dataDir: string;
}

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** What a capability's demo seeder gets: the demo users, and a service context per role. */
export interface DemoContext {
  users: Record<Role, DemoUser>;
  /** Seeders must be idempotent: a second `npm run seed` finds their data and adds nothing. */
  as: (role: Role) => ServiceContext;
  /** The seeding time: demo dates (expiries, shifts) are relative to it. */
  now: Date;
}

export type DemoSeeder = (demo: DemoContext) => Promise<void>;

/** Each capability registers its demo data here (one line each), run in this order. */
const CAPABILITY_SEEDERS: ReadonlyArray<{ name: string; seed: () => Promise<DemoSeeder> }> = [
  {
    name: 'staff profiles and credentials',
    seed: async () => (await import('./seed/staff-credentials.ts')).default,
  },
  // After staff profiles: contracts and shifts belong to the demo staff member's profile.
  { name: 'contracts and appointments', seed: async () => (await import('./seed/contracts.ts')).default },
  { name: 'messaging', seed: async () => (await import('./seed/messaging.ts')).default },
  { name: 'credentialing files', seed: async () => (await import('./seed/credentialing.ts')).default },
];

const ensureUser = async (
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  user: (typeof DEMO_USERS)[number],
) => {
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: user.email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: user.name },
        ],
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: user.email,
        Password: DEMO_PASSWORD,
        Permanent: true,
      }),
    );
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: user.email, GroupName: user.role }),
    );
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
  }
  const { UserAttributes = [] } = await cognito.send(
    new AdminGetUserCommand({ UserPoolId: userPoolId, Username: user.email }),
  );
  const id = UserAttributes.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!id) throw new Error(`demo user ${user.role} has no sub`);
  return { ...user, id };
};

export const seedDemo = async (target: SeedTarget) => {
  const cognito = new CognitoIdentityProviderClient({
    endpoint: target.cognitoEndpoint,
    region: target.region,
    credentials: target.credentials,
  });
  const users = {} as Record<Role, DemoUser>;
  for (const user of DEMO_USERS) users[user.role] = await ensureUser(cognito, target.userPoolId, user);

  const now = new Date();
  const demo: DemoContext = {
    users,
    now,
    as: (role) => ({ actor: { userId: users[role].id, roles: [role] }, now, requestId: `seed-${role}` }),
  };
  for (const seeder of CAPABILITY_SEEDERS) await (await seeder.seed())(demo);
  const { enrolDemoMfa } = await import('./seed/mfa.ts');
  const secrets = await enrolDemoMfa(Object.values(users), DEMO_PASSWORD, readDemoUsers(target.dataDir));
  const logins: DemoLogin[] = DEMO_USERS.map(({ role, email }) => {
    const totpSecret = secrets.get(email);
    return { role, email, password: DEMO_PASSWORD, ...(totpSecret === undefined ? {} : { totpSecret }) };
  });
  writeDemoUsers(target.dataDir, logins);
  return logins;
};

/** Seeds the twin that `npm start` is running (it writes its endpoints to .data/twin.json). */
if (import.meta.main) {
  const dataDir = process.env.SHIFTLINE_DATA_DIR ?? '.data';
  const twin = JSON.parse(readFileSync(join(dataDir, 'twin.json'), 'utf8')) as {
    env: Record<string, string>;
  };
  // Capability seeders write through the same repositories as the handlers: same settings.
  Object.assign(process.env, twin.env);
  const users = await seedDemo({
    cognitoEndpoint: twin.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? '',
    userPoolId: twin.env.USER_POOL_ID ?? '',
    region: twin.env.AWS_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: twin.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: twin.env.AWS_SECRET_ACCESS_KEY ?? '',
    },
    dataDir,
  });
  for (const user of users) {
    const mfa = user.totpSecret
      ? `  TOTP secret ${user.totpSecret} (code: ${totpCommand(dataDir, user.role)})`
      : '';
    console.log(`${user.role.padEnd(14)} ${user.email}  ${user.password}${mfa}`);
  }
}

/** Seeds a twin started in this process: its identity service and pool, the twin's local credentials. */
export const seedTwin = (twin: Pick<Twin, 'urls' | 'env'>, dataDir: string) =>
  seedDemo({
    cognitoEndpoint: twin.urls.cognito,
    userPoolId: twin.env.USER_POOL_ID ?? '',
    region: LOCAL_REGION,
    credentials: localCredentials,
    dataDir,
  });
