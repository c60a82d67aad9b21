/** What list and conditional-write repositories share across capabilities. */

export type { ListPosition, Page, PageRequest } from './page.ts';

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
