import { App } from 'aws-cdk-lib';
import { applyNag } from '../infra/nag.ts';
import { ShiftlineStack } from '../infra/stack.ts';

const app = new App();
applyNag(app);
new ShiftlineStack(app, 'Shiftline', {
  description: 'Shiftline: serverless backend for health staffing agencies',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
