import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { applyNag } from '../../infra/nag.ts';
import { ShiftlineStack } from '../../infra/stack.ts';
import { buildProbeStack } from './probe-stack.ts';
import { SKIP_BUNDLING, testApp } from './synth.ts';

interface Report {
  pluginReports: {
    summary: { pluginName: string };
    violations: { ruleName: string; severity: string; violatingResources: { constructPath: string }[] }[];
  }[];
}

const findingsOf = (report: Report) =>
  report.pluginReports.flatMap(({ summary, violations }) =>
    violations.flatMap(({ ruleName, severity, violatingResources }) =>
      violatingResources.map(
        ({ constructPath }) => `${summary.pluginName} ${severity} ${ruleName} ${constructPath}`,
      ),
    ),
  );

// cdk-nag 3 reports through the synth's policy-validation-report.json (stack annotations stay
// empty), so the test synthesizes like `cdk synth` does and reads the report, warnings included.
const outdir = mkdtempSync(join(tmpdir(), 'shiftline-nag-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const synthWithNag = (build: (app: App) => void = buildShiftline, dir = outdir): Report => {
  const app = new App({
    outdir: dir,
    context: { ...SKIP_BUNDLING, '@aws-cdk/core:validationReportJson': true },
  });
  applyNag(app);
  build(app);
  try {
    app.synth();
  } catch {
    // Errors fail the synth; the report written before says which.
  }
  return JSON.parse(readFileSync(join(dir, 'policy-validation-report.json'), 'utf8')) as Report;
};

// As `cdk deploy` builds it (bin/app.ts: the account and region of the credentials): Control
// Tower's CT.LAMBDA.PR.2 accepts a permission's SourceAccount only as a literal account id.
const DEPLOYED_ENV = { account: '123456789012', region: 'us-east-1' };

function buildShiftline(app: App) {
  new ShiftlineStack(app, 'Shiftline', { env: DEPLOYED_ENV });
  buildProbeStack(app);
}

describe('cdk-nag (AwsSolutions, HIPAA Security, Serverless), Control Tower (cfn-guard) and CDK template validation', () => {
  it('report no unacknowledged error or warning for the stack and the async constructs', () => {
    expect(findingsOf(synthWithNag())).toEqual([]);
  });

  it('do run: a bare bucket and function are reported by all four packs (so an empty report means clean)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shiftline-nag-control-'));
    try {
      const bare = (app: App) => {
        const stack = new Stack(app, 'Control');
        new Bucket(stack, 'Bare');
        new LambdaFunction(stack, 'BareFunction', {
          runtime: Runtime.NODEJS_24_X,
          handler: 'index.handler',
          code: Code.fromInline('export const handler = async () => ({});'),
        });
      };
      const findings = findingsOf(synthWithNag(bare, dir));
      expect(findings.some((finding) => finding.includes('AwsSolutions-S1'))).toBe(true);
      const packs = new Set(findings.map((finding) => finding.split(' ')[0]));
      expect([...packs].sort()).toEqual([
        'AwsSolutions',
        'HIPAA.Security',
        'Serverless',
        'cdk-validator-cfnguard',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('report nothing either with the PLUS feature plan (threat protection on)', () => {
    const app = testApp({ cognitoFeaturePlan: 'PLUS' });
    new ShiftlineStack(app, 'Shiftline');
    const findings = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new ServerlessChecks()].flatMap(
      (pack) => pack.validateScope(app).violations.map((violation) => violation.ruleName),
    );
    expect(findings).toEqual([]);
  });
});
