import type { ServiceContext } from '#domain/context.ts';
import type { Actor } from '#domain/policy.ts';

/** The service context of an HTTP operation: the verified caller, the request id, the clock. */
export const serviceContextOf = (
  input: { auth: Actor; requestId: string },
  now = new Date(),
): ServiceContext => ({
  actor: { userId: input.auth.userId, roles: input.auth.roles },
  now,
  requestId: input.requestId,
});
