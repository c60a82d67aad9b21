import { describe, expect, it } from 'vitest';
import { type FunctionDefinition, HTTP_FUNCTIONS, type HttpFunctionName } from '#shared/functions.ts';
import {
  actionsOf,
  arnOf,
  identityStatements,
  resourcesOf,
  statementsOfRole,
  synthShiftline,
} from './synth.ts';

const { stack, template } = synthShiftline();
const bucketArn = arnOf(stack.storage.documents);

/** `<bucket arn>/<prefix>*` as the template writes it. */
const objectsUnder = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });

/** S3 resources of the documents bucket (the ledger's evidence bucket has grants of its own). */
const s3Resources = (statements: { Action?: unknown; Resource?: unknown }[]) =>
  statements
    .filter((statement) => actionsOf(statement as never).some((action) => action.startsWith('s3:')))
    .flatMap((statement) => resourcesOf(statement as never))
    .filter((resource) => JSON.stringify(resource).includes(JSON.stringify(bucketArn)));

describe('documents bucket grants per key prefix', () => {
  it.each([
    ['credentials', ['credentials/']],
    ['messaging', ['conversations/']],
    ['credentialing', ['evidence/']],
    ['graphql', ['credentials/', 'conversations/', 'evidence/']],
  ] as Array<[HttpFunctionName, string[]]>)('%s may touch %j only', (name, prefixes) => {
    const fn = stack.http.functions[name];
    if (!fn) throw new Error(`no ${name} function`);
    const granted = s3Resources(statementsOfRole(template, fn.role));
    expect(granted.length).toBeGreaterThan(0);
    for (const resource of granted) expect(prefixes.map(objectsUnder)).toContainEqual(resource);
    expect((HTTP_FUNCTIONS[name] as FunctionDefinition).documentPrefixes).toEqual(prefixes);
  });

  it('grants no function the whole bucket, and deletes only where the upload inspectors look', () => {
    const all = identityStatements(template).map(({ statement }) => statement);
    const everyObject = { 'Fn::Join': ['', [bucketArn, '/*']] };
    expect(s3Resources(all)).not.toContainEqual(everyObject);
    const deletes = all.filter((statement) => actionsOf(statement).includes('s3:DeleteObject'));
    const deleted = deletes.flatMap((statement) => resourcesOf(statement));
    expect(deleted).toHaveLength(2);
    expect(deleted).toEqual(
      expect.arrayContaining([objectsUnder('credentials/'), objectsUnder('conversations/')]),
    );
  });
});
