import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ScheduledFunctionDefinition } from '#shared/functions.ts';
import type { AccessTargets } from './access.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { ShiftlineFunction } from './lambda.ts';

export interface ScheduledFunctionProps {
  definition: ScheduledFunctionDefinition;
  targets: AccessTargets;
  alerts: ITopic;
}

/**
 * A function run by an EventBridge cron rule (UTC). EventBridge retries delivery and Lambda
 * retries the asynchronous invocation; what still fails lands in one dead-letter queue.
 */
export class ScheduledFunction extends Construct {
  readonly handler: ShiftlineFunction;
  readonly deadLetters: DeadLetterQueue;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ScheduledFunctionProps) {
    super(scope, id);
    const { definition } = props;
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      key: props.targets.key,
      alerts: props.alerts,
      description: `scheduled runs of ${id} that failed`,
    });
    this.handler = new ShiftlineFunction(this, 'Function', {
      definition,
      targets: props.targets,
      failures: { deadLetterQueue: this.deadLetters.queue },
      timeout: Duration.minutes(5),
    });
    this.rule = new Rule(this, 'Schedule', {
      description: `${id}: ${definition.description}`,
      schedule: Schedule.cron({
        minute: definition.schedule.minute,
        hour: definition.schedule.hour,
        ...(definition.schedule.day ? { day: definition.schedule.day } : {}),
      }),
      targets: [
        new LambdaFunction(this.handler.fn, {
          deadLetterQueue: this.deadLetters.queue,
          retryAttempts: 2,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}
