import type { RouteDefinition } from '../routes.ts';

/** API Gateway route key, e.g. `GET /staff/{id}`. In a module of its own: a function's bundle takes it without the whole route table. */
export const routeKeyOf = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;
