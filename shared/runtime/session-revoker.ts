/**
 * The session revoker the functions use: Cognito's global sign-out, the session records (through
 * the guard, so this container sees its own revocations at once) and the user's sockets.
 */
import { signOutEverywhere } from '#data/cognito-users.ts';
import { sessionSockets } from '#data/session-sockets.ts';
import { createSessionRevoker } from '#domain/identity/sessions.ts';
import { TOKEN_VALIDITY } from '#shared/identity.ts';
import { sessionGuard } from './session-guard.ts';

export const sessionRevoker = createSessionRevoker({
  store: sessionGuard.store,
  sockets: sessionSockets,
  signOutEverywhere,
  tokenLifetimeSeconds: Math.max(TOKEN_VALIDITY.accessTokenMinutes, TOKEN_VALIDITY.idTokenMinutes) * 60,
});
