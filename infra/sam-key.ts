import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ENV } from '#runtime/config.ts';
import type { ShiftlineFunction } from './lambda.ts';

/**
 * SAM.gov exclusions are off unless the context names a Secrets Manager secret holding the API
 * key (`samApiKeySecretArn`); then the functions that screen (credentialing, GraphQL, monthly
 * monitoring) read that one secret.
 */
export const grantSamKey = (handler: ShiftlineFunction, secretArn: string | undefined): void => {
  if (secretArn === undefined) return;
  handler.fn.addEnvironment(ENV.samApiKeySecretArn, secretArn);
  handler.role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }),
  );
};
