/** S3's "Object Created" event as EventBridge delivers it (the fields Shiftline reads). */
import type { EventBridgeEvent } from 'aws-lambda';

export interface ObjectCreatedDetail {
  bucket: { name: string };
  object: { key: string; size?: number; etag?: string; 'version-id'?: string };
  'request-id'?: string;
}

export type ObjectCreatedEvent = EventBridgeEvent<'Object Created', ObjectCreatedDetail>;
