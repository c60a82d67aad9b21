import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { StreamConsumerDefinition } from '#shared/functions.ts';
import type { AccessTargets } from './access.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { ShiftlineFunction } from './lambda.ts';
import { ACKNOWLEDGEMENTS, acknowledge } from './nag.ts';

/**
 * Iterator age that raises the alarm: a stream keeps records 24 h, and its dead-letter queue
 * holds only pointers into it, so an operator must hear of a lagging consumer with most of
 * the day left to act.
 */
export const ITERATOR_AGE_ALARM_MINUTES = 60;

export interface StreamConsumerProps {
  definition: StreamConsumerDefinition;
  /** The table whose stream feeds the consumer (Main). */
  table: ITable;
  targets: AccessTargets;
  alerts: ITopic;
}

/**
 * A consumer of a table's stream that sees only the item kinds it names, retries a failing
 * batch by halves, reports partial failures, and dead-letters what still fails.
 */
export class StreamConsumer extends Construct {
  readonly handler: ShiftlineFunction;
  readonly deadLetters: DeadLetterQueue;
  readonly iteratorAgeAlarm: Alarm;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    const { definition } = props;
    if (definition.kinds.length === 0)
      throw new Error(`stream consumer ${id}: kinds must name at least one item kind`);
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      key: props.targets.key,
      alerts: props.alerts,
      description: `stream records ${id} gave up on after ${definition.retryAttempts} retries`,
    });
    acknowledge(this.deadLetters.queue, ACKNOWLEDGEMENTS.streamFailureQueue);
    this.handler = new ShiftlineFunction(this, 'Consumer', {
      definition,
      targets: props.targets,
      failures: {
        synchronousCaller:
          'the DynamoDB stream event source mapping (failed batches go to its on-failure queue)',
      },
      timeout: Duration.minutes(1),
    });
    this.handler.fn.addEventSource(
      new DynamoEventSource(props.table, {
        // From the oldest record still in the stream: a new or redeployed consumer misses nothing.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: definition.batchSize,
        maxBatchingWindow: Duration.seconds(definition.maxBatchingWindowSeconds),
        bisectBatchOnError: true,
        retryAttempts: definition.retryAttempts,
        parallelizationFactor: definition.parallelization,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetters.queue),
        // REMOVE records (TTL expiry) have no NewImage, so they never match.
        filters: [
          FilterCriteria.filter({
            dynamodb: { NewImage: { kind: { S: FilterRule.or(...definition.kinds) } } },
          }),
        ],
      }),
    );
    acknowledge(this.handler.role, ACKNOWLEDGEMENTS.sqsGrantKeyActions);
    this.iteratorAgeAlarm = new Alarm(this, 'IteratorAgeAlarm', {
      alarmDescription: `${id} lags the stream by over ${ITERATOR_AGE_ALARM_MINUTES} minutes (records live 24 h): see docs/runbook.md`,
      metric: this.handler.fn.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: ITERATOR_AGE_ALARM_MINUTES * 60_000,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.iteratorAgeAlarm.addAlarmAction(new SnsAction(props.alerts));
  }
}
