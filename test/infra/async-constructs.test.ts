import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { StreamConsumer } from '../../infra/stream-consumer.ts';
import { buildProbeStack, PROBE_CONSUMER, PROBE_SCHEDULE } from './probe-stack.ts';
import { actionsOf, arnOf, logicalId, ref, resources, statementsOfRole, testApp } from './synth.ts';

const probe = buildProbeStack(testApp());
const template = Template.fromStack(probe.stack);
const { consumer, schedule } = probe;

describe('StreamConsumer', () => {
  it('reads the table stream, only for the item kinds it names', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(consumer.handler.fn),
      EventSourceArn: { 'Fn::GetAtt': [logicalId(probe.data.main), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { kind: { S: PROBE_CONSUMER.kinds } } } }) },
        ],
      },
    });
  });

  it('batches, bisects, retries a bounded number of times, runs lanes per shard and reports partial failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: PROBE_CONSUMER.batchSize,
      MaximumBatchingWindowInSeconds: PROBE_CONSUMER.maxBatchingWindowSeconds,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: PROBE_CONSUMER.retryAttempts,
      ParallelizationFactor: PROBE_CONSUMER.parallelization,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: arnOf(consumer.deadLetters.queue) } },
    });
  });

  it('dead-letters into an encrypted, TLS-only queue kept 14 days that raises an alarm', () => {
    const queue = resources(template)[logicalId(consumer.deadLetters.queue)];
    expect(queue?.Properties).toMatchObject({
      KmsMasterKeyId: arnOf(probe.key),
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(consumer.deadLetters.queue)],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(consumer.deadLetters.queue), 'QueueName'] } },
      ],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [ref(probe.alerts.topic)],
    });
  });

  it('may read the stream and touch only what its definition lists', () => {
    const actions = statementsOfRole(template, consumer.handler.role).flatMap(actionsOf);
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'sqs:SendMessage']),
    );
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:UpdateItem');
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('refuses a definition with no item kinds', () => {
    const stack = new Stack(testApp(), 'Empty');
    expect(
      () =>
        new StreamConsumer(stack, 'Nothing', {
          definition: { ...PROBE_CONSUMER, kinds: [] },
          table: probe.data.main,
          targets: { key: probe.key, main: probe.data.main, ledger: probe.data.ledger },
          alerts: probe.alerts.topic,
        }),
    ).toThrow(/kinds/);
  });
});

describe('ScheduledFunction', () => {
  it('runs on its cron schedule, with bounded retries and a dead-letter queue', () => {
    const { minute, hour } = PROBE_SCHEDULE.schedule;
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `cron(${minute} ${hour} * * ? *)`,
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: arnOf(schedule.handler.fn),
          DeadLetterConfig: { Arn: arnOf(schedule.deadLetters.queue) },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 7200 },
        }),
      ],
    });
  });

  it('sends failed asynchronous invocations to the same queue, which EventBridge may write to', () => {
    const fn = resources(template)[logicalId(schedule.handler.fn)];
    expect(fn?.Properties?.DeadLetterConfig).toEqual({ TargetArn: arnOf(schedule.deadLetters.queue) });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(schedule.deadLetters.queue)],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
          }),
        ]),
      }),
    });
    const actions = statementsOfRole(template, schedule.handler.role).flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['sqs:SendMessage', 'kms:GenerateDataKey']));
  });
});
