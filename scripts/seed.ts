/**
 * Demo data: one user per role with a known password (printed at start). Idempotent: a second
 * run finds the users and leaves them as they are. `npm run seed` seeds the running twin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Role } from '#domain/roles.ts';

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
}

export const seedDemo = async (target: SeedTarget) => {
  const cognito = new CognitoIdentityProviderClient({
    endpoint: target.cognitoEndpoint,
    region: target.region,
    credentials: target.credentials,
  });
  for (const user of DEMO_USERS) {
    try {
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: target.userPoolId,
          Username: user.email,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: user.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: user.name },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof UsernameExistsException) continue;
      throw error;
    }
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: target.userPoolId,
        Username: user.email,
        Password: DEMO_PASSWORD,
        Permanent: true,
      }),
    );
    await cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: target.userPoolId,
        Username: user.email,
        GroupName: user.role,
      }),
    );
  }
  return DEMO_USERS.map((user) => ({ ...user, password: DEMO_PASSWORD }));
};

/** Seeds the twin that `npm start` is running (it writes its endpoints to .data/twin.json). */
if (import.meta.main) {
  const dataDir = process.env.SHIFTLINE_DATA_DIR ?? '.data';
  const twin = JSON.parse(readFileSync(join(dataDir, 'twin.json'), 'utf8')) as {
    env: Record<string, string>;
  };
  const users = await seedDemo({
    cognitoEndpoint: twin.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? '',
    userPoolId: twin.env.USER_POOL_ID ?? '',
    region: twin.env.AWS_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: twin.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: twin.env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  });
  for (const user of users) console.log(`${user.role.padEnd(14)} ${user.email}  ${user.password}`);
}
