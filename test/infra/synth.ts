import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { ShiftlineStack } from '../../infra/stack.ts';

/** Synth without esbuild (FACTS.md): the functions get placeholder code, everything else is real. */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

export const testApp = (context: Record<string, unknown> = {}): App =>
  // CDK's own CloudFormation validation is slow (wasm); the nag test runs it.
  new App({ builtinCloudFormationValidation: false, context: { ...SKIP_BUNDLING, ...context } });

export const synthShiftline = (
  context: Record<string, unknown> = {},
  prepare: (stack: ShiftlineStack) => void = () => {},
) => {
  const stack = new ShiftlineStack(testApp(context), 'Shiftline');
  prepare(stack);
  return { stack, template: Template.fromStack(stack) };
};

/** The logical id of a construct's CloudFormation resource (or of the resource itself). */
export const logicalId = (construct: IConstruct): string => {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).resolve(Stack.of(construct).getLogicalId(element));
};

export const ref = (construct: IConstruct) => ({ Ref: logicalId(construct) });
export const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
}

export const resources = (template: Template, type?: string): Record<string, Resource> => {
  const all = template.toJSON().Resources as Record<string, Resource>;
  return Object.fromEntries(Object.entries(all).filter(([, resource]) => !type || resource.Type === type));
};

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export const actionsOf = (statement: Statement): string[] => asArray(statement.Action);
export const resourcesOf = (statement: Statement): unknown[] => asArray(statement.Resource);

/** Every identity-policy statement in the template with the roles it reaches. */
export const identityStatements = (template: Template): { roles: unknown[]; statement: Statement }[] => {
  const found: { roles: unknown[]; statement: Statement }[] = [];
  for (const resource of Object.values(resources(template))) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::ManagedPolicy' || resource.Type === 'AWS::IAM::Policy') {
      const document = props.PolicyDocument as { Statement: Statement[] };
      for (const statement of document.Statement) found.push({ roles: asArray(props.Roles), statement });
    }
  }
  return found;
};

/** The statements that reach one role. */
export const statementsOfRole = (template: Template, role: IConstruct): Statement[] => {
  const roleRef = JSON.stringify(ref(role));
  return identityStatements(template)
    .filter(({ roles }) => roles.some((item) => JSON.stringify(item) === roleRef))
    .map(({ statement }) => statement);
};
