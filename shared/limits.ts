/** Gateway limits declared once: the CDK stages and the twin's gateways apply the same. */
// API Gateway's default account limits: a stage guard, not a cap below what one account may do.
export const HTTP_STAGE_THROTTLE = { rateLimit: 10_000, burstLimit: 5_000 } as const;
export const WS_STAGE_THROTTLE = { rateLimit: 500, burstLimit: 1_000 } as const;

/** API Gateway HTTP API's own payload cap; the service's own 256 KB limit is checked in the handler. */
export const HTTP_GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** API Gateway WebSocket limits (FACTS.md): frames over 32 KB and messages over 128 KB close with 1009. */
export const WS_MAX_FRAME_BYTES = 32 * 1024;
export const WS_MAX_MESSAGE_BYTES = 128 * 1024;
/** A WebSocket connection lives at most 2 h in API Gateway. */
export const WS_MAX_CONNECTION_SECONDS = 2 * 60 * 60;
