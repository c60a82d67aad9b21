import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { BucketEventFunctionDefinition } from '#shared/functions.ts';
import type { AccessTargets } from './access.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { ShiftlineFunction } from './lambda.ts';

export interface BucketEventFunctionProps {
  definition: BucketEventFunctionDefinition;
  /** Sends its events to EventBridge (Storage turns that on). */
  bucket: Bucket;
  targets: AccessTargets;
  alerts: ITopic;
}

/**
 * A function run for every object created under its prefix: S3 sends "Object Created" to
 * EventBridge and a rule invokes the function. EventBridge rather than a direct notification: a
 * direct one needs CDK's notifications custom resource (an AWS-managed-policy Lambda of its own),
 * and the bucket and function would reference each other. EventBridge and Lambda retry; what
 * still fails lands in the dead-letter queue.
 */
export class BucketEventFunction extends Construct {
  readonly handler: ShiftlineFunction;
  readonly deadLetters: DeadLetterQueue;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: BucketEventFunctionProps) {
    super(scope, id);
    const { definition } = props;
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      key: props.targets.key,
      alerts: props.alerts,
      description: `object-created events of ${id} that failed`,
    });
    this.handler = new ShiftlineFunction(this, 'Function', {
      definition,
      targets: props.targets,
      failures: { deadLetterQueue: this.deadLetters.queue },
      timeout: Duration.seconds(30),
    });
    this.rule = new Rule(this, 'ObjectCreated', {
      description: `${id}: ${definition.description}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: [{ prefix: definition.prefix }] },
        },
      },
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
