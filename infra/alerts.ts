import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/**
 * The topic every alarm notifies (dead letters, consumer lag): the operations topic named by the
 * context (`alarmTopicArn`) where there is one, else a topic of the stack, optionally mailed to
 * an operator.
 */
export class Alerts extends Construct {
  readonly topic: ITopic;

  constructor(
    scope: Construct,
    id: string,
    props: { key: IKey; email: string | undefined; topicArn?: string | undefined },
  ) {
    super(scope, id);
    if (props.topicArn) {
      this.topic = Topic.fromTopicArn(this, 'Topic', props.topicArn);
      return;
    }
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Shiftline alerts',
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }
}
