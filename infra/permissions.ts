import { type IAspect, Stack, Token } from 'aws-cdk-lib';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { ACKNOWLEDGEMENTS, acknowledge } from './nag.ts';

/**
 * Every permission that lets an AWS service invoke a function names this account as the source
 * (the confused-deputy guard, Control Tower CT.LAMBDA.PR.2), whether CDK's integrations set a
 * `SourceArn` or not.
 */
export class SourceAccountOnPermissions implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CfnPermission) || node.sourceAccount !== undefined) return;
    const principal = node.principal;
    if (Token.isUnresolved(principal) || !principal.endsWith('.amazonaws.com')) return;
    const { account } = Stack.of(node);
    node.sourceAccount = account;
    // Offline (`npm run synth` without credentials) the account is `Ref AWS::AccountId`, which the
    // rule cannot read; a synth for an account (bin/app.ts, the infra test) names it literally.
    if (Token.isUnresolved(account)) acknowledge(node, ACKNOWLEDGEMENTS.accountOnlyAtDeploy);
  }
}
