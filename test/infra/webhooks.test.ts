import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '#runtime/config.ts';
import { QUEUE_FUNCTIONS } from '#shared/functions.ts';
import {
  actionsOf,
  arnOf,
  logicalId,
  ref,
  resources,
  resourcesOf,
  statementsOfRole,
  synthShiftline,
} from './synth.ts';

const { stack, template } = synthShiftline();
const { queues, delivery } = stack.webhooks;
const definition = QUEUE_FUNCTIONS.webhookDelivery;
const sendStatements = (role: Parameters<typeof statementsOfRole>[1]) =>
  statementsOfRole(template, role).filter((statement) =>
    actionsOf(statement).some((action) => action.startsWith('sqs:')),
  );

describe('webhook deliveries', () => {
  it('queue on an encrypted queue whose redrive ends in the alarmed dead-letter queue', () => {
    const queue = resources(template)[logicalId(queues.queue)];
    expect(queue?.Properties).toMatchObject({
      KmsMasterKeyId: expect.anything(),
      VisibilityTimeout: (definition?.timeoutSeconds ?? 0) * 6,
      RedrivePolicy: {
        deadLetterTargetArn: arnOf(queues.deadLetters.queue),
        maxReceiveCount: definition?.maxReceiveCount,
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queues.deadLetters.queue), 'QueueName'] } },
      ],
      AlarmActions: [Match.anyValue()],
    });
  });

  it('are sent by a function fed by that queue, reporting partial failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(delivery.handler.fn),
      EventSourceArn: arnOf(queues.queue),
      BatchSize: definition?.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('may be sent to the two queues only, by the functions that queue them', () => {
    const queueArns = [arnOf(queues.queue), arnOf(queues.deadLetters.queue)];
    for (const role of [delivery.handler.role, stack.http.functions.webhooks?.role]) {
      const sends = sendStatements(role as never).filter((statement) =>
        actionsOf(statement).includes('sqs:SendMessage'),
      );
      expect(sends.map((statement) => [actionsOf(statement), resourcesOf(statement)])).toEqual([
        [['sqs:SendMessage'], queueArns],
      ]);
    }
    // Functions that queue nothing may not send.
    expect(sendStatements(stack.http.functions.contracts?.role as never)).toEqual([]);
  });

  it('tell the functions where the queues are', () => {
    const fn = resources(template, 'AWS::Lambda::Function')[logicalId(delivery.handler.fn)];
    const environment = fn?.Properties?.Environment as { Variables: Record<string, unknown> } | undefined;
    const variables = environment?.Variables ?? {};
    expect(variables[ENV.webhookQueueUrl]).toEqual(ref(queues.queue));
    expect(variables[ENV.webhookDeadLetterQueueUrl]).toEqual(ref(queues.deadLetters.queue));
  });

  it('alert the admins when an endpoint is disabled after 5 days of failures', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: ref(delivery.handler.logGroup),
      FilterPattern: Match.stringLikeRegexp('webhook endpoint disabled'),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'WebhookEndpointsDisabled',
      AlarmActions: [Match.anyValue()],
    });
  });
});
