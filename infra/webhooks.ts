import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WEBHOOK_DISABLED_MESSAGE } from '#domain/webhooks/delivery.ts';
import type { QueueFunctionDefinition } from '#shared/functions.ts';
import type { AccessTargets } from './access.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { ShiftlineFunction } from './lambda.ts';
import { ACKNOWLEDGEMENTS, acknowledge } from './nag.ts';

/**
 * The webhook delivery queue and its dead-letter queue. Retries are new delayed messages sent by
 * the delivery function itself (backoff over 24 h); the dead-letter queue receives the
 * deliveries it gave up on, and, by redrive, messages it failed to handle at all.
 */
export class WebhookQueues extends Construct {
  readonly queue: Queue;
  readonly deadLetters: DeadLetterQueue;

  constructor(
    scope: Construct,
    id: string,
    props: { key: IKey; alerts: ITopic; definition: QueueFunctionDefinition },
  ) {
    super(scope, id);
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      key: props.key,
      alerts: props.alerts,
      description: 'webhook deliveries given up after 24 h of retries',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      // Lambda's advice for an SQS event source: six times the function's timeout.
      visibilityTimeout: Duration.seconds(props.definition.timeoutSeconds * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters.queue, maxReceiveCount: props.definition.maxReceiveCount },
    });
  }
}

export interface QueueFunctionProps {
  definition: QueueFunctionDefinition;
  queues: WebhookQueues;
  targets: AccessTargets;
  alerts: ITopic;
}

/** The delivery function on its queue, and the alarm that tells the admins an endpoint was disabled. */
export class WebhookDeliveryFunction extends Construct {
  readonly handler: ShiftlineFunction;
  readonly disabledAlarm: Alarm;

  constructor(scope: Construct, id: string, props: QueueFunctionProps) {
    super(scope, id);
    const { definition, queues } = props;
    this.handler = new ShiftlineFunction(this, 'Function', {
      definition,
      targets: props.targets,
      failures: {
        synchronousCaller:
          'the SQS event source mapping (what it cannot handle is redriven to the dead-letter queue)',
      },
      timeout: Duration.seconds(definition.timeoutSeconds),
    });
    this.handler.fn.addEventSource(
      new SqsEventSource(queues.queue, { batchSize: definition.batchSize, reportBatchItemFailures: true }),
    );
    acknowledge(this.handler.fn, ACKNOWLEDGEMENTS.sqsEventSourceRedrive);
    const metric = new MetricFilter(this, 'DisabledEndpoints', {
      logGroup: this.handler.logGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', WEBHOOK_DISABLED_MESSAGE),
      metricNamespace: 'Shiftline',
      metricName: 'WebhookEndpointsDisabled',
      metricValue: '1',
    }).metric({ statistic: 'Sum', period: Duration.minutes(5) });
    this.disabledAlarm = new Alarm(this, 'DisabledAlarm', {
      alarmDescription: 'A webhook endpoint failed every attempt for 5 days and was disabled',
      metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.disabledAlarm.addAlarmAction(new SnsAction(props.alerts));
  }
}
