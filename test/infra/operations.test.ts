/** Operating the stack: an alarm on every dead-letter queue and on every stream consumer's lag, to one topic. */
import { describe, expect, it } from 'vitest';
import { ITERATOR_AGE_ALARM_MINUTES } from '../../infra/stream-consumer.ts';
import { resources, synthShiftline } from './synth.ts';

const alarms = (template: ReturnType<typeof synthShiftline>['template']) =>
  Object.values(resources(template, 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties ?? {});

describe('alarms', () => {
  const { template } = synthShiftline();

  it('watch the depth of every dead-letter queue and the iterator age of both stream consumers', () => {
    // Every dead-letter queue: the queues without a redrive policy of their own.
    const queues = Object.values(resources(template, 'AWS::SQS::Queue')).filter(
      (queue) => queue.Properties?.RedrivePolicy === undefined,
    );
    const depth = alarms(template).filter(
      (alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    const lag = alarms(template).filter((alarm) => alarm.MetricName === 'IteratorAge');

    expect(depth).toHaveLength(queues.length);
    expect(lag).toHaveLength(2);
    for (const alarm of lag) {
      expect(alarm).toMatchObject({ Threshold: ITERATOR_AGE_ALARM_MINUTES * 60_000, Statistic: 'Maximum' });
    }
  });

  it('notify the operations topic the context names, instead of a topic of the stack', () => {
    const topicArn = 'arn:aws:sns:us-east-1:123456789012:operations';
    const named = synthShiftline({ alarmTopicArn: topicArn }).template;

    expect(Object.keys(resources(named, 'AWS::SNS::Topic'))).toEqual([]);
    for (const alarm of alarms(named)) expect(alarm.AlarmActions).toEqual([topicArn]);
  });
});
