import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ROLE_GROUPS } from '#domain/roles.ts';
import { ENV } from '#runtime/config.ts';
import { TRIGGER_FUNCTIONS } from '#shared/functions.ts';
import { PASSWORD_POLICY } from '#shared/identity.ts';
import { USER_POOL_ACTIONS } from '../../infra/access.ts';
import { actionsOf, arnOf, logicalId, ref, resources, statementsOfRole, synthShiftline } from './synth.ts';

const { stack, template } = synthShiftline();
const { auth } = stack;

describe('user pool', () => {
  it('signs users in by email, verifies it, and lets them sign up as themselves', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      VerificationMessageTemplate: Match.objectLike({ DefaultEmailOption: 'CONFIRM_WITH_CODE' }),
    });
  });

  it('requires strong passwords, offers TOTP (never SMS) and is protected from deletion', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        Policies: {
          PasswordPolicy: {
            MinimumLength: PASSWORD_POLICY.minLength,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            TemporaryPasswordValidityDays: PASSWORD_POLICY.temporaryPasswordValidityDays,
          },
        },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        DeletionProtection: 'ACTIVE',
        UserPoolTier: 'LITE',
      }),
    });
  });

  it('turns threat protection on when the feature plan is PLUS', () => {
    const plus = synthShiftline({ cognitoFeaturePlan: 'PLUS' }).template;
    plus.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('sends email through SES when the context names a verified sender', () => {
    const ses = synthShiftline({ sesFromAddress: 'no-reply@example.org' }).template;
    ses.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'no-reply@example.org' },
    });
  });

  it('has one group per role, with its precedence', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', ROLE_GROUPS.length);
    for (const group of ROLE_GROUPS) {
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
        UserPoolId: ref(auth.userPool),
        GroupName: group.name,
        Description: group.description,
        Precedence: group.precedence,
      });
    }
  });
});

describe('app client', () => {
  it('is public (no secret), allows password, SRP and refresh sign-ins, revokes tokens, hides who exists', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayEquals([
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ]),
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      AllowedOAuthFlows: Match.absent(),
    });
  });
});

describe('triggers', () => {
  const trigger = auth.triggers.postConfirmation;

  it('runs the PostConfirmation function within Cognito’s 5 s', () => {
    expect(Object.keys(auth.triggers)).toEqual(Object.keys(TRIGGER_FUNCTIONS));
    if (!trigger) throw new Error('no postConfirmation trigger');
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PostConfirmation: arnOf(trigger.fn) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Timeout: 5,
      Description: TRIGGER_FUNCTIONS.postConfirmation.description,
    });
  });

  it('may read users and change groups of this pool only, without a circular dependency', () => {
    if (!trigger) throw new Error('no postConfirmation trigger');
    const statements = statementsOfRole(template, trigger.role);
    const poolStatement = statements.find((statement) =>
      actionsOf(statement).includes('cognito-idp:AdminAddUserToGroup'),
    );
    expect(poolStatement?.Action).toEqual([
      ...USER_POOL_ACTIONS['userpool:read'],
      ...USER_POOL_ACTIONS['userpool:groups'],
    ]);
    expect(poolStatement ? actionsOf(poolStatement) : []).not.toContain('cognito-idp:AdminCreateUser');
    expect(poolStatement?.Resource).toEqual(arnOf(auth.userPool));
    const env = resources(template)[logicalId(trigger.fn)]?.Properties?.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(env.Variables[ENV.userPoolId]).toBeUndefined();
    // A Template refuses a template with a dependency cycle.
    expect(() => Template.fromJSON(template.toJSON())).not.toThrow();
  });
});
