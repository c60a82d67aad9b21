/** Gateway limits declared once: the CDK stages and the twin's gateways apply the same. */
// API Gateway's default account limits: a stage guard, not a cap below what one account may do.
export const HTTP_STAGE_THROTTLE = { rateLimit: 10_000, burstLimit: 5_000 } as const;
export const WS_STAGE_THROTTLE = { rateLimit: 500, burstLimit: 1_000 } as const;

export interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

/**
 * Route throttles far tighter than the stage's, for the routes a route definition marks
 * (`throttle`). API Gateway counts them per route for every caller together — a ceiling on what
 * the routes can cost (Cognito's quotas, mail), not a per-client limit: the service's own limits
 * per email and source do that (shared/domain/identity/abuse-limits.ts). Overridable by the CDK
 * context `routeThrottles` and, in the twin, `SHIFTLINE_ROUTE_THROTTLES` (`off` for the bench).
 */
export const ROUTE_THROTTLES = {
  // Logins, challenges, codes, tokens: below Cognito's default UserAuthentication quota (120/s).
  auth: { rateLimit: 50, burstLimit: 100 },
  // Sign-up, forgot, resend-code: each may send an email.
  mail: { rateLimit: 10, burstLimit: 20 },
} as const satisfies Record<string, Throttle>;

export type RouteThrottleClass = keyof typeof ROUTE_THROTTLES;

/** `{ auth: { rateLimit, burstLimit }, … }` with any class left out kept at its default. */
export const routeThrottlesFrom = (overrides: unknown): Record<RouteThrottleClass, Throttle> => {
  const given = (typeof overrides === 'string' ? JSON.parse(overrides) : (overrides ?? {})) as Partial<
    Record<RouteThrottleClass, Throttle>
  >;
  return { auth: given.auth ?? ROUTE_THROTTLES.auth, mail: given.mail ?? ROUTE_THROTTLES.mail };
};

/** API Gateway HTTP API's own payload cap; the service's own 256 KB limit is checked in the handler. */
export const HTTP_GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** API Gateway WebSocket limits (FACTS.md): frames over 32 KB and messages over 128 KB close with 1009. */
export const WS_MAX_FRAME_BYTES = 32 * 1024;
export const WS_MAX_MESSAGE_BYTES = 128 * 1024;
/** A WebSocket connection lives at most 2 h in API Gateway. */
export const WS_MAX_CONNECTION_SECONDS = 2 * 60 * 60;
