/** What list and conditional-write repositories share across capabilities. */

/** Where a page ended (DynamoDB's last evaluated key); handlers wrap it in an HMAC-bound cursor. */
export type ListPosition = Record<string, unknown>;

export interface PageRequest {
  limit: number;
  position?: ListPosition;
}

export interface Page<T> {
  items: T[];
  next?: ListPosition;
}

/**
 * A conditional write found the item not as expected (another request changed it first, or it
 * is gone). `current` is the item as the condition saw it, so the service can say why: 404,
 * 409 naming the state, or 412.
 */
export class StaleWrite<T> extends Error {
  override name = 'StaleWrite';
  readonly current: T | undefined;
  constructor(current: T | undefined) {
    super('conditional write refused: the item is not as expected');
    this.current = current;
  }
}
