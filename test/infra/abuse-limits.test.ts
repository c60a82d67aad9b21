import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '#runtime/config.ts';
import { ROUTE_THROTTLES } from '#shared/limits.ts';
import { ROUTES, type RouteDefinition, routeKeyOf } from '#shared/routes.ts';
import { arnOf, logicalId, resources, synthShiftline } from './synth.ts';

const { stack, template } = synthShiftline();

const throttled = (ROUTES as readonly RouteDefinition[]).filter((route) => route.throttle !== undefined);

const routeSettingsOf = (synthesized: typeof template) =>
  Object.values(resources(synthesized, 'AWS::ApiGatewayV2::Stage'))
    .map((stage) => stage.Properties?.RouteSettings as Record<string, Record<string, number>> | undefined)
    .find((settings) => settings !== undefined) ?? {};

describe('route throttles', () => {
  it('throttles every route the table marks, auth and mail far below the stage', () => {
    const settings = routeSettingsOf(template);
    expect(Object.keys(settings).sort()).toEqual(throttled.map(routeKeyOf).sort());
    expect(settings['POST /auth/login']).toEqual({
      ThrottlingRateLimit: ROUTE_THROTTLES.auth.rateLimit,
      ThrottlingBurstLimit: ROUTE_THROTTLES.auth.burstLimit,
    });
    expect(settings['POST /auth/forgot']).toEqual({
      ThrottlingRateLimit: ROUTE_THROTTLES.mail.rateLimit,
      ThrottlingBurstLimit: ROUTE_THROTTLES.mail.burstLimit,
    });
    for (const path of ['/auth/signup', '/auth/forgot', '/auth/resend-code'])
      expect(throttled.find((route) => route.path === path)?.throttle).toBe('mail');
  });

  it('takes other limits from the context', () => {
    const { template: tuned } = synthShiftline({
      routeThrottles: { auth: { rateLimit: 7, burstLimit: 9 } },
      mailPerEmailPerHour: 2,
      wafRateLimit: 1000,
    });
    expect(routeSettingsOf(tuned)['POST /auth/login']).toEqual({
      ThrottlingRateLimit: 7,
      ThrottlingBurstLimit: 9,
    });
    tuned.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.mailPerEmail]: '2' }) },
    });
    tuned.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 1000 }) } }),
      ]),
    });
  });

  it('gives the auth function its per-email and per-source limits', () => {
    const auth = stack.http.functions.auth;
    if (!auth) throw new Error('no auth function');
    const variables = (
      (resources(template)[logicalId(auth.fn)]?.Properties?.Environment ?? { Variables: {} }) as {
        Variables: Record<string, string>;
      }
    ).Variables;
    expect(variables).toMatchObject({
      [ENV.loginFailuresPerSource]: '5',
      [ENV.loginFailuresPerEmail]: '50',
      [ENV.mailPerEmail]: '5',
      [ENV.mailPerSource]: '30',
    });
  });
});

describe('WAF on the user pool', () => {
  it('applies the common and known-bad-inputs rule groups and a rate-based rule, logged', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
          },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' },
          },
        }),
        Match.objectLike({
          Action: { Block: {} },
          Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'IP', Limit: 300 }) },
        }),
      ],
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: arnOf(stack.auth.userPool),
    });
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
  });
});
