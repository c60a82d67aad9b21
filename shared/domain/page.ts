/** Lists, declared once for every capability: a page, and where the next one starts. */

/** An opaque position in a list (a DynamoDB key); handlers carry it in an HMAC-bound cursor. */
export type ListPosition = Record<string, unknown>;

/** One page of a list: the items and, when there are more, where the next page starts. */
export interface Page<T, P = ListPosition> {
  items: T[];
  next?: P;
}

export interface PageRequest<P = ListPosition> {
  limit: number;
  position?: P;
}
