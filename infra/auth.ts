import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
  UserPoolOperation,
  VerificationEmailStyle,
} from 'aws-cdk-lib/aws-cognito';
import { ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ROLE_GROUPS } from '#domain/roles.ts';
import { type Access, TRIGGER_FUNCTIONS } from '#shared/functions.ts';
import { AUTH_FLOWS, PASSWORD_POLICY, SIGN_IN_ALIASES, TOKEN_VALIDITY } from '#shared/identity.ts';
import { type AccessTargets, isUserPoolAccess, userPoolStatement } from './access.ts';
import { ShiftlineFunction } from './lambda.ts';
import { ACKNOWLEDGEMENTS, acknowledge } from './nag.ts';

export interface AuthProps {
  /** What the trigger functions may touch; the user pool itself is granted here. */
  targets: AccessTargets;
  featurePlan: FeaturePlan;
  /** A verified SES identity to send from; unset, Cognito's capped default sender. */
  sesFromAddress?: string | undefined;
}

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** Cognito: the user pool with its role groups, the app client and the triggers. */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The tokens' `iss`: what the JWT authorizer and the functions verify against. */
  readonly issuer: string;
  readonly triggers: Record<string, ShiftlineFunction> = {};

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    const plus = props.featurePlan === FeaturePlan.PLUS;
    this.userPool = new UserPool(this, 'UserPool', {
      signInAliases: SIGN_IN_ALIASES,
      selfSignUpEnabled: true,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      userVerification: { emailStyle: VerificationEmailStyle.CODE },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: PASSWORD_POLICY.minLength,
        requireLowercase: PASSWORD_POLICY.requireLowercase,
        requireUppercase: PASSWORD_POLICY.requireUppercase,
        requireDigits: PASSWORD_POLICY.requireDigits,
        requireSymbols: PASSWORD_POLICY.requireSymbols,
        tempPasswordValidity: Duration.days(PASSWORD_POLICY.temporaryPasswordValidityDays),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      ...(props.sesFromAddress === undefined
        ? {}
        : {
            // The identity must be verified in the stack's region (the stack is region-agnostic).
            email: UserPoolEmail.withSES({
              fromEmail: props.sesFromAddress,
              sesRegion: Stack.of(scope).region,
            }),
          }),
      featurePlan: props.featurePlan,
      ...(plus ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const { region, urlSuffix } = Stack.of(this);
    this.issuer = `https://cognito-idp.${region}.${urlSuffix}/${this.userPool.userPoolId}`;

    for (const group of ROLE_GROUPS) {
      this.userPool.addGroup(`${pascal(group.name)}Group`, {
        groupName: group.name,
        description: group.description,
        precedence: group.precedence,
      });
    }

    this.client = this.userPool.addClient('AppClient', {
      generateSecret: false,
      authFlows: AUTH_FLOWS,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      // No hosted UI: the API's /auth routes and SDK sign-ins are the only ways in.
      disableOAuth: true,
      accessTokenValidity: Duration.minutes(TOKEN_VALIDITY.accessTokenMinutes),
      idTokenValidity: Duration.minutes(TOKEN_VALIDITY.idTokenMinutes),
      refreshTokenValidity: Duration.days(TOKEN_VALIDITY.refreshTokenDays),
    });

    for (const [name, definition] of Object.entries(TRIGGER_FUNCTIONS)) {
      const access: readonly Access[] = definition.access;
      const poolAccess = access.filter(isUserPoolAccess);
      const trigger = new ShiftlineFunction(this, `${pascal(name)}Trigger`, {
        definition: {
          ...definition,
          access: access.filter((item) => !isUserPoolAccess(item)),
        },
        targets: props.targets,
        failures: { synchronousCaller: 'Cognito' },
        // Cognito gives a trigger 5 s before it fails the user's request.
        timeout: Duration.seconds(5),
      });
      this.userPool.addTrigger(UserPoolOperation.of(name), trigger.fn);
      if (poolAccess.length > 0) {
        // The pool references the function, so the grant must not be a policy the function
        // waits for (a circular dependency): a managed policy outside the function's role.
        new ManagedPolicy(this, `${pascal(name)}UserPoolAccess`, {
          roles: [trigger.role],
          statements: [userPoolStatement(this.userPool, poolAccess)],
        });
      }
      this.triggers[name] = trigger;
    }

    acknowledge(this.userPool, ACKNOWLEDGEMENTS.optionalMfa);
    if (!plus) {
      acknowledge(this.userPool, ACKNOWLEDGEMENTS.featurePlan(props.featurePlan));
    }
  }
}
