/**
 * S3 events in the twin: after an object is created, the object store hands the same "Object
 * Created" event S3 sends to EventBridge to the function whose rule matches its key's prefix
 * (BUCKET_EVENT_FUNCTIONS), asynchronously. A failing handler is retried twice, as the rule's
 * target retries, then logged.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { ObjectCreatedEvent } from '#runtime/s3-events.ts';
import type { BucketEventFunctionDefinition } from '#shared/functions.ts';
import { createLambdaContext } from './lambda-context.ts';

export interface CreatedObject {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
}

export type BucketEventHandler = (event: ObjectCreatedEvent, context: Context) => Promise<void>;

export interface BucketEventTarget {
  name: string;
  definition: BucketEventFunctionDefinition;
  handler: BucketEventHandler;
}

const ATTEMPTS = 3;

/** S3's "Object Created" event as EventBridge delivers it. */
export const objectCreatedEvent = (object: CreatedObject, region: string): ObjectCreatedEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '000000000000',
  time: new Date().toISOString(),
  region,
  resources: [`arn:aws:s3:::${object.bucket}`],
  detail: {
    bucket: { name: object.bucket },
    object: { key: object.key, size: object.size, etag: object.eTag.replace(/"/g, '') },
    'request-id': randomUUID(),
  },
});

/** The notifier the object store calls: targets may be given later (handlers load after the store starts). */
export const createBucketNotifier = (region: string, log: (message: string, error: unknown) => void) => {
  let targets: readonly BucketEventTarget[] = [];
  const deliver = async (target: BucketEventTarget, event: ObjectCreatedEvent) => {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      try {
        return await target.handler(event, createLambdaContext(target.name));
      } catch (error) {
        if (attempt === ATTEMPTS) log(`${target.name} failed on ${event.detail.object.key}`, error);
      }
    }
  };
  return {
    setTargets: (loaded: readonly BucketEventTarget[]) => {
      targets = loaded;
    },
    objectCreated: (object: CreatedObject) => {
      const event = objectCreatedEvent(object, region);
      for (const target of targets.filter(({ definition }) => object.key.startsWith(definition.prefix))) {
        void deliver(target, event);
      }
    },
  };
};
