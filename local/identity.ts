import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GroupExistsException,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ROLE_GROUPS } from '#domain/roles.ts';
import { AUTH_FLOWS, PASSWORD_POLICY, TOKEN_VALIDITY } from '#shared/identity.ts';
import { answersHttp, type RunningChild, startChild } from './child-process.ts';
import { LOCAL_REGION, localCredentials } from './local-aws.ts';

export interface IdentityOptions {
  port: number;
  dataDir: string;
  /** Where cognito-local calls the trigger functions (the twin's Lambda invoke endpoint). */
  lambdaEndpoint: string;
  /**
   * A fixed code for every confirmation, reset and temporary password (opt-in, twin only:
   * `SHIFTLINE_CONFIRMATION_CODE`); unset, codes are random and read from the mail files.
   */
  confirmationCode?: string;
  logFile: string;
}

export interface IdentityPool {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  issuer: string;
}

/** Trigger name → the twin's function name for it (see TRIGGER_FUNCTIONS). */
export const COGNITO_TRIGGERS = {
  PostConfirmation: 'postConfirmation',
  PostAuthentication: 'postAuthentication',
} as const;

export const startIdentity = async (
  options: IdentityOptions,
): Promise<{ child: RunningChild; pool: IdentityPool }> => {
  const workDir = join(options.dataDir, 'cognito');
  // cognito-local keeps its data and config in ./.cognito of its working directory.
  mkdirSync(join(workDir, '.cognito'), { recursive: true });
  const endpoint = `http://127.0.0.1:${options.port}`;
  writeFileSync(
    join(workDir, '.cognito', 'config.json'),
    JSON.stringify(
      {
        LambdaClient: {
          endpoint: options.lambdaEndpoint,
          region: LOCAL_REGION,
          credentials: localCredentials,
        },
        TriggerFunctions: COGNITO_TRIGGERS,
        TokenConfig: { IssuerDomain: endpoint },
      },
      null,
      2,
    ),
  );
  // cognito-local, with the Cognito behaviours it lacks added (see cognito-local-server.ts).
  const bin = join(import.meta.dirname, 'cognito-local-server.ts');
  const child = await startChild({
    name: 'cognito-local',
    command: process.execPath,
    args: [bin],
    cwd: workDir,
    env: {
      ...process.env,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      SHIFTLINE_MAIL_DIR: join(options.dataDir, 'mail'),
      ...(options.confirmationCode === undefined ? {} : { CODE: options.confirmationCode }),
    },
    logFile: options.logFile,
    isReady: () => answersHttp(`${endpoint}/health`),
    port: options.port,
  });
  try {
    const pool = await ensurePool(endpoint, join(options.dataDir, 'identity.json'));
    return { child, pool };
  } catch (error) {
    await child.stop();
    throw error;
  }
};

const createPool = async (cognito: CognitoIdentityProviderClient) => {
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'shiftline',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: PASSWORD_POLICY.minLength,
          RequireLowercase: PASSWORD_POLICY.requireLowercase,
          RequireUppercase: PASSWORD_POLICY.requireUppercase,
          RequireNumbers: PASSWORD_POLICY.requireDigits,
          RequireSymbols: PASSWORD_POLICY.requireSymbols,
          TemporaryPasswordValidityDays: PASSWORD_POLICY.temporaryPasswordValidityDays,
        },
      },
    }),
  );
  if (!UserPool?.Id) throw new Error('cognito-local created no user pool');
  return UserPool.Id;
};

const createAppClient = async (cognito: CognitoIdentityProviderClient, userPoolId: string) => {
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'shiftline-api',
      ExplicitAuthFlows: [
        ...(AUTH_FLOWS.userPassword ? ['ALLOW_USER_PASSWORD_AUTH' as const] : []),
        ...(AUTH_FLOWS.userSrp ? ['ALLOW_USER_SRP_AUTH' as const] : []),
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      AccessTokenValidity: TOKEN_VALIDITY.accessTokenMinutes,
      IdTokenValidity: TOKEN_VALIDITY.idTokenMinutes,
      RefreshTokenValidity: TOKEN_VALIDITY.refreshTokenDays,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    }),
  );
  if (!UserPoolClient?.ClientId) throw new Error('cognito-local created no app client');
  return UserPoolClient.ClientId;
};

const createRoleGroups = async (cognito: CognitoIdentityProviderClient, userPoolId: string) => {
  for (const group of ROLE_GROUPS) {
    try {
      await cognito.send(
        new CreateGroupCommand({
          UserPoolId: userPoolId,
          GroupName: group.name,
          Description: group.description,
          Precedence: group.precedence,
        }),
      );
    } catch (error) {
      if (!(error instanceof GroupExistsException)) throw error;
    }
  }
};

/**
 * MFA optional with TOTP, as the stack's pool (infra/auth.ts): a user who enrolled is challenged
 * at every login. Set on every start, so pools created before MFA get it too.
 */
const optionalTotp = (cognito: CognitoIdentityProviderClient, userPoolId: string) =>
  cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: userPoolId,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );

/** Creates the pool, app client and role groups once; later starts reuse them. */
const ensurePool = async (endpoint: string, stateFile: string): Promise<IdentityPool> => {
  const cognito = new CognitoIdentityProviderClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: localCredentials,
  });
  const saved = existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { userPoolId: string; clientId: string })
    : undefined;
  if (saved && (await poolExists(cognito, saved.userPoolId))) {
    await optionalTotp(cognito, saved.userPoolId);
    return { endpoint, ...saved, issuer: `${endpoint}/${saved.userPoolId}` };
  }
  const userPoolId = await createPool(cognito);
  await optionalTotp(cognito, userPoolId);
  const clientId = await createAppClient(cognito, userPoolId);
  await createRoleGroups(cognito, userPoolId);
  writeFileSync(stateFile, JSON.stringify({ userPoolId, clientId }, null, 2));
  return { endpoint, userPoolId, clientId, issuer: `${endpoint}/${userPoolId}` };
};

const poolExists = async (cognito: CognitoIdentityProviderClient, userPoolId: string) => {
  try {
    await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    return true;
  } catch {
    return false;
  }
};
