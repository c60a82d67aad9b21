/**
 * The identity provider on Cognito (cognito-local in the twin: same API): its sessions
 * (cognito-sessions.ts) and its user administration (cognito-users.ts), over one client whose
 * exceptions become domain errors (cognito-client.ts).
 */
import type { IdentityProvider } from '#domain/identity/ports.ts';
import { cognitoSessions } from './cognito-sessions.ts';
import { cognitoUsers } from './cognito-users.ts';

export const cognitoIdentity: IdentityProvider = { ...cognitoSessions, ...cognitoUsers };
