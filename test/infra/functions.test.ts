import { describe, expect, it } from 'vitest';
import { MAIN_TABLE } from '#data/tables.ts';
import { partitionPatterns } from '#data/write-scopes.ts';
import { ENV } from '#runtime/config.ts';
import {
  BUCKET_EVENT_FUNCTIONS,
  HTTP_FUNCTIONS,
  type HttpFunctionName,
  QUEUE_FUNCTIONS,
  SCHEDULED_FUNCTIONS,
  STREAM_CONSUMERS,
  TRIGGER_FUNCTIONS,
  WS_FUNCTIONS,
} from '#shared/functions.ts';
import { ROUTES } from '#shared/routes.ts';
import type { ShiftlineFunction } from '../../infra/lambda.ts';
import {
  actionsOf,
  identityStatements,
  logicalId,
  type Resource,
  resources,
  resourcesOf,
  statementsOfRole,
  synthShiftline,
} from './synth.ts';

const { stack, template } = synthShiftline();
const functions = resources(template, 'AWS::Lambda::Function');
const logGroups = resources(template, 'AWS::Logs::LogGroup');
const fnProps = (fn: ShiftlineFunction) => functions[logicalId(fn.fn)]?.Properties ?? {};
const envOf = (fn: ShiftlineFunction) =>
  (fnProps(fn).Environment as { Variables: Record<string, unknown> }).Variables;

const docs = stack.http.functions.docs;
const connect = stack.realtime.functions.connect;

describe('every function', () => {
  it('exists once per registry entry that has a caller', () => {
    const httpWithRoutes = new Set(ROUTES.map((route) => route.fn));
    const expected =
      httpWithRoutes.size +
      Object.keys(WS_FUNCTIONS).length +
      Object.keys(TRIGGER_FUNCTIONS).length +
      Object.keys(STREAM_CONSUMERS).length +
      Object.keys(SCHEDULED_FUNCTIONS).length +
      Object.keys(BUCKET_EVENT_FUNCTIONS).length +
      Object.keys(QUEUE_FUNCTIONS).length;
    expect(Object.keys(functions)).toHaveLength(expected);
    expect([...httpWithRoutes].every((name) => name in HTTP_FUNCTIONS)).toBe(true);
  });

  it.each(Object.entries(functions))('%s runs Node 24 on ARM, traced, with limits set', (_id, fn) => {
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: expect.any(Number),
      Timeout: expect.any(Number),
      ReservedConcurrentExecutions: 25,
      Environment: { Variables: expect.objectContaining({ [ENV.serviceVersion]: '0.1.0' }) },
    });
  });

  it.each(Object.entries(functions))('%s logs to its own encrypted log group kept a year', (_id, fn) => {
    const config = fn.Properties?.LoggingConfig as { LogGroup: { Ref: string }; LogFormat: string };
    expect(config.LogFormat).toBe('JSON');
    const group = logGroups[config.LogGroup.Ref] as Resource;
    expect(group.Properties).toMatchObject({ RetentionInDays: 365, KmsKeyId: expect.anything() });
  });

  it('takes reserved concurrency from context', () => {
    const custom = synthShiftline({ reservedConcurrency: '7' }).template;
    for (const fn of Object.values(resources(custom, 'AWS::Lambda::Function'))) {
      expect(fn.Properties?.ReservedConcurrentExecutions).toBe(7);
    }
  });
});

describe('least privilege', () => {
  const statements = identityStatements(template).map(({ statement }) => statement);

  it('keeps every grant in a customer managed policy, none inline', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    for (const role of Object.values(resources(template, 'AWS::IAM::Role'))) {
      expect(role.Properties?.Policies).toBeUndefined();
    }
  });

  it('never grants Scan, BatchWriteItem but on the LEIE rows and the sync log, or a whole service', () => {
    const actions = statements.flatMap(actionsOf);
    expect(actions).not.toContain('dynamodb:Scan');
    // The LEIE import writes its rows in batches of 25 (shared/data/leie.ts), the notify consumer a
    // change's sync log entries (shared/data/sync.ts): on those partitions only.
    const batches = statements.filter((statement) =>
      actionsOf(statement).includes('dynamodb:BatchWriteItem'),
    );
    expect(batches.length).toBeGreaterThan(0);
    const within = (patterns: string[]) => ({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns },
    });
    const allowed = [within(partitionPatterns(['leie'])), within(partitionPatterns(['syncLog']))];
    for (const batch of batches) expect(allowed).toContainEqual(batch.Condition);
    expect(new Set(batches.map((batch) => JSON.stringify(batch.Condition))).size).toBe(allowed.length);
    expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });

  it('uses "*" only for actions that take no resource ARN', () => {
    const starActions = statements
      .filter((statement) => resourcesOf(statement).includes('*'))
      .flatMap(actionsOf);
    const withoutResourceArn = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams'];
    expect(starActions.filter((action) => !withoutResourceArn.includes(action))).toEqual([]);
  });

  it('gives the docs function its logs and traces, nothing else', () => {
    if (!docs) throw new Error('no docs function');
    const actions = statementsOfRole(template, docs.role).flatMap(actionsOf);
    expect(actions.sort()).toEqual(
      [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    expect(Object.keys(envOf(docs))).not.toContain(ENV.mainTable);
  });

  it('lets main:write functions read the table and its indexes and write items of their partitions only', () => {
    if (!connect) throw new Error('no connect function');
    const granted = statementsOfRole(template, connect.role);
    const tableArn = { 'Fn::GetAtt': [logicalId(stack.data.main), 'Arn'] };
    const writes = granted.find((statement) => actionsOf(statement).includes('dynamodb:PutItem'));
    expect(writes?.Resource).toEqual(tableArn);
    expect(actionsOf(writes as never).sort()).toEqual(
      ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'].sort(),
    );
    expect(writes?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONN#*', 'LIVE#*'] },
    });
    // A condition check writes nothing: it goes with the reads, table-wide.
    const checks = granted.find((statement) => actionsOf(statement).includes('dynamodb:ConditionCheckItem'));
    expect(actionsOf(checks as never)).toContain('dynamodb:Query');
    const reads = granted.find((statement) => actionsOf(statement).includes('dynamodb:Query'));
    expect(resourcesOf(reads as never)).toHaveLength(1 + MAIN_TABLE.globalSecondaryIndexes.length);
    const kms = granted.find((statement) => actionsOf(statement).includes('kms:Decrypt'));
    // The key works for this function only through DynamoDB.
    expect(JSON.stringify(kms?.Condition)).toMatch(/"kms:ViaService":\{"Fn::Join":\["",\["dynamodb\./);
    expect(envOf(connect)[ENV.mainTable]).toEqual({ Ref: logicalId(stack.data.main) });
  });

  it("never lets anyone but the ledger policy touch the ledger with more than reads, appends and the archive's ttl", () => {
    const ledgerArn = JSON.stringify({ 'Fn::GetAtt': [logicalId(stack.data.ledger), 'Arn'] });
    const onLedger = statements.filter((statement) => JSON.stringify(statement.Resource).includes(ledgerArn));
    // The one update: ledgerArchive's, of the key and ttl alone (test/infra/data.test.ts pins the role).
    const expiries = onLedger.filter((statement) => actionsOf(statement).includes('dynamodb:UpdateItem'));
    for (const expiry of expiries) {
      expect(actionsOf(expiry)).toEqual(['dynamodb:UpdateItem']);
      expect(expiry.Condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'ttl'] },
      });
    }
    const actions = new Set(onLedger.filter((statement) => !expiries.includes(statement)).flatMap(actionsOf));
    for (const action of actions) {
      expect(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem']).toContain(
        action,
      );
    }
  });
});

describe('environment', () => {
  it('points the docs function at the playground files copied beside its bundle', () => {
    if (!docs) throw new Error('no docs function');
    expect(envOf(docs)[ENV.docsAssetsDir]).toBe(`/var/task/${HTTP_FUNCTIONS.docs.assets.into}`);
  });

  it('gives the graphql function its GraphiQL files and introspection off unless the context turns it on', () => {
    const graphql = stack.http.functions.graphql;
    if (!graphql) throw new Error('no graphql function');
    expect(envOf(graphql)[ENV.docsAssetsDir]).toBe('/var/task/graphiql');
    expect(envOf(graphql)[ENV.graphqlIntrospection]).toBe('false');
  });

  it('gives the functions that decide credentialing the verification freshness window (context, default 120 days)', () => {
    const { credentialing, graphql } = stack.http.functions;
    if (!credentialing || !graphql) throw new Error('no credentialing or graphql function');
    expect(envOf(credentialing)[ENV.verificationMaxAgeDays]).toBe('120');
    expect(envOf(graphql)[ENV.verificationMaxAgeDays]).toBe('120');
    const older = synthShiftline({ verificationMaxAgeDays: '180' });
    const olderFn = older.stack.http.functions.credentialing;
    if (!olderFn) throw new Error('no credentialing function');
    const olderProps = resources(older.template, 'AWS::Lambda::Function')[logicalId(olderFn.fn)]?.Properties;
    expect(JSON.stringify(olderProps?.Environment)).toContain(`"${ENV.verificationMaxAgeDays}":"180"`);
  });

  it('keeps SAM.gov off by default, and gives the screening functions the named key secret only when set', () => {
    for (const fn of Object.values(functions)) {
      expect(JSON.stringify(fn.Properties?.Environment ?? {})).not.toContain(ENV.samApiKeySecretArn);
    }
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:sam-api-key-AbCdEf';
    const withSam = synthShiftline({ samApiKeySecretArn: arn });
    const withKey = Object.entries(resources(withSam.template, 'AWS::Lambda::Function'))
      .filter(([, fn]) => JSON.stringify(fn.Properties?.Environment ?? {}).includes(arn))
      .map(([id]) => id);
    expect(withKey).toHaveLength(3);
    const policies = JSON.stringify(resources(withSam.template, 'AWS::IAM::ManagedPolicy'));
    expect(policies).toContain(arn);
  });

  it('lets the HTTP functions that list from Main read the cursor key, and only those', () => {
    const secrets = Object.keys(resources(template, 'AWS::SecretsManager::Secret'));
    for (const [name, fn] of Object.entries(stack.http.functions)) {
      const lists = (HTTP_FUNCTIONS[name as HttpFunctionName].access as readonly string[]).some((access) =>
        access.startsWith('main:'),
      );
      const reads = statementsOfRole(template, fn.role).filter((statement) =>
        actionsOf(statement).includes('secretsmanager:GetSecretValue'),
      );
      expect(envOf(fn)[ENV.cursorSecretArn]).toEqual(lists ? { Ref: secrets[0] } : undefined);
      expect(reads.map((statement) => statement.Resource)).toEqual(lists ? [{ Ref: secrets[0] }] : []);
      expect(envOf(fn)[ENV.cursorSecret]).toBeUndefined();
    }
  });

  it('gives HTTP and WebSocket functions the pool, client and issuer the tokens are checked against', () => {
    const authorizer = stack.realtime.functions.authorize;
    for (const fn of [docs, authorizer, connect]) {
      if (!fn) throw new Error('missing function');
      expect(Object.keys(envOf(fn))).toEqual(
        expect.arrayContaining([ENV.userPoolId, ENV.userPoolClientId, ENV.jwtIssuer]),
      );
    }
  });
});
