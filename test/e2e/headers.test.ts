/**
 * The safety headers on every route of the route table, called as a real client would: each
 * route once with a caller its roles allow (public routes without a token), with an unknown id
 * and a body the route's strict schema refuses, so nothing is changed. Every response a
 * function produces carries `nosniff`; every authenticated or error response `no-store`.
 */
import { describe, expect, it } from 'vitest';
import { ROUTES, type RouteDefinition, routeKeyOf } from '#shared/routes.ts';
import { api, loginAs } from './support/twin.ts';

const PARAM_VALUES: Record<string, string> = { asset: 'swagger-ui.css', n: '1', entityType: 'Contract' };

const pathOf = (path: string): string =>
  path.replace(/\{(\w+)\}/g, (_match, name: string) => PARAM_VALUES[name] ?? '01JZZZZZZZZZZZZZZZZZZZZZZZ');

describe('safety headers', () => {
  it.each(ROUTES.map((route) => [routeKeyOf(route), route] as const))('%s', async (_key, route) => {
    // Prepare
    const role = route.access === 'public' ? undefined : route.access.roles[0];
    const token = role === undefined ? undefined : (await loginAs(role)).idToken;
    const request: RouteDefinition['request'] = 'request' in route ? route.request : undefined;
    const body = request?.body === undefined ? undefined : { unexpected: true };
    // Act
    const response = await api(pathOf(route.path), { method: route.method, token, body });
    // Assess
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    if (token !== undefined || response.status >= 400)
      expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
