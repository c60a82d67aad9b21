/**
 * Who may call a route, derived rather than listed: a route names the policy action it performs
 * and its roles are those the policy does not always deny it to, so the policy module is the one
 * place roles are written. The stack, the twin's gateway, the OpenAPI document and the role check
 * in the middy stack all read the derived `access`.
 */
import { type ActionOf, type ResourceType, rolesThatMay } from '#domain/policy.ts';
import { ROLES } from '#domain/roles.ts';

/** Routes about the caller themselves (`/me`, logout): any signed-in user, whatever their roles. */
export const SIGNED_IN = { access: { roles: ROLES } } as const;

/**
 * Spread into a route: its `policy` and the roles the policy lets attempt it. The service still
 * decides per item (ownership, participation); this is the route-level gate.
 */
export const performs = <T extends ResourceType>(
  resource: T,
  action: ActionOf<T>,
  scope: { unscoped?: true } = {},
) => ({
  access: { roles: rolesThatMay(resource, action, scope) },
  policy: { resource, action, ...scope },
});
