/** One page of a list: the items and, when there are more, where the next page starts. */
export interface Page<T, P = unknown> {
  items: T[];
  next?: P;
}

export interface PageRequest<P = unknown> {
  limit: number;
  after?: P;
}
