import { describe, expect, it } from 'vitest';
import { BATCH_WRITE_SCOPES, partitionPatterns } from '#data/write-scopes.ts';
import {
  BUCKET_EVENT_FUNCTIONS,
  type FunctionDefinition,
  HTTP_FUNCTIONS,
  QUEUE_FUNCTIONS,
  SCHEDULED_FUNCTIONS,
  STREAM_CONSUMERS,
  TRIGGER_FUNCTIONS,
  WS_FUNCTIONS,
} from '#shared/functions.ts';
import {
  actionsOf,
  arnOf,
  identityStatements,
  resources,
  resourcesOf,
  type Statement,
  synthShiftline,
} from './synth.ts';

const { stack, template } = synthShiftline();
const mainArn = JSON.stringify(arnOf(stack.data.main));

const ITEM_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
const WRITE_ACTIONS = [...ITEM_WRITES, 'dynamodb:BatchWriteItem'];

const DEFINITIONS: Array<[string, FunctionDefinition]> = [
  HTTP_FUNCTIONS,
  WS_FUNCTIONS,
  TRIGGER_FUNCTIONS,
  STREAM_CONSUMERS,
  SCHEDULED_FUNCTIONS,
  BUCKET_EVENT_FUNCTIONS,
  QUEUE_FUNCTIONS,
].flatMap((functions) => Object.entries(functions as Record<string, FunctionDefinition>));

/** Statements that may write items of Main (the table itself, not its indexes). */
const mainWrites = (statements: Statement[]) =>
  statements.filter(
    (statement) =>
      resourcesOf(statement).some((resource) => JSON.stringify(resource) === mainArn) &&
      actionsOf(statement).some((action) => WRITE_ACTIONS.includes(action) || action === 'dynamodb:*'),
  );

/** The identity statements of the role of the function with this description (descriptions are unique). */
const statementsOf = (definition: FunctionDefinition): Statement[] => {
  const functions = Object.values(resources(template, 'AWS::Lambda::Function')).filter(
    (resource) => resource.Properties?.Description === definition.description,
  );
  expect(functions).toHaveLength(1);
  const roleArn = functions[0]?.Properties?.Role as { 'Fn::GetAtt': [string, string] } | undefined;
  const role = roleArn?.['Fn::GetAtt'][0];
  const roleRef = JSON.stringify({ Ref: role });
  return identityStatements(template)
    .filter(({ roles }) => roles.some((item) => JSON.stringify(item) === roleRef))
    .map(({ statement }) => statement);
};

const leadingKeysOf = (statement: Statement | undefined): string[] => {
  const condition = statement?.Condition as Record<string, Record<string, string | string[]>> | undefined;
  const patterns = condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? [];
  return (Array.isArray(patterns) ? patterns : [patterns]).slice().sort();
};

describe('writes to Main per partition', () => {
  it.each(DEFINITIONS)('%s writes exactly the partitions it declares, or none', (_name, definition) => {
    // Prepare
    const writes = mainWrites(statementsOf(definition));
    // Assess
    if (!definition.access.includes('main:write')) {
      expect(writes).toEqual([]);
      expect(definition.mainWrites).toBeUndefined();
      return;
    }
    const scopes = definition.mainWrites ?? [];
    const batched = scopes.filter((scope) => BATCH_WRITE_SCOPES.includes(scope));
    for (const statement of writes) {
      expect(Object.keys((statement.Condition ?? {}) as object)).toEqual(['ForAllValues:StringLike']);
    }
    // Per action, the partitions its statements reach (CDK merges statements of equal conditions).
    const reached = (action: string) =>
      writes
        .filter((statement) => actionsOf(statement).includes(action))
        .flatMap(leadingKeysOf)
        .sort();
    for (const action of ITEM_WRITES) expect(reached(action)).toEqual(partitionPatterns(scopes));
    expect(partitionPatterns(scopes).length).toBeGreaterThan(0);
    expect(reached('dynamodb:BatchWriteItem')).toEqual(batched.length > 0 ? partitionPatterns(batched) : []);
  });

  it('lets GraphQL write what the HTTP functions whose operations it runs write (all but /auth/*)', () => {
    // Prepare
    const others = Object.entries(HTTP_FUNCTIONS as Record<string, FunctionDefinition>).filter(
      ([name]) => name !== 'graphql' && name !== 'auth',
    );
    // Act
    const union = partitionPatterns(others.flatMap(([, definition]) => definition.mainWrites ?? []));
    // Assess
    expect(partitionPatterns(HTTP_FUNCTIONS.graphql.mainWrites)).toEqual(union);
  });

  it('grants no role an unconditioned write on Main', () => {
    // Prepare
    const all = identityStatements(template).map(({ statement }) => statement);
    // Act
    const unconditioned = mainWrites(all).filter((statement) => leadingKeysOf(statement).length === 0);
    // Assess
    expect(unconditioned).toEqual([]);
  });

  it('never lets a leading-key pattern match every partition', () => {
    // Prepare
    const all = mainWrites(identityStatements(template).map(({ statement }) => statement));
    // Assess
    for (const statement of all) {
      for (const pattern of leadingKeysOf(statement)) expect(pattern).toMatch(/^[A-Z]+(#[A-Z]+)*(#\*)?$/);
    }
  });
});
