/**
 * The session a client keeps: tokens from POST /auth/login, when they expire, and where they
 * are stored (memory by default; a browser app may pass one backed by sessionStorage).
 */
import type { components } from './generated/openapi.ts';

export type Tokens = components['schemas']['Tokens'];

export interface Session extends Tokens {
  /** Epoch ms at which the id and access tokens expire. */
  expiresAt: number;
}

export interface SessionStore {
  get(): Session | undefined;
  set(session: Session | undefined): void;
}

export const memorySessionStore = (): SessionStore => {
  let current: Session | undefined;
  return {
    get: () => current,
    set: (session) => {
      current = session;
    },
  };
};

export const sessionOf = (tokens: Tokens, now = Date.now()): Session => ({
  ...tokens,
  expiresAt: now + tokens.expiresIn * 1000,
});

/** What a login answers: a session, or the password an invited user must choose first. */
export type LoginOutcome =
  | { signedIn: Session }
  | { newPasswordRequired: (newPassword: string) => Promise<Session> }
  /** A code from the user's authenticator app (SOFTWARE_TOKEN_MFA). */
  | { mfaCodeRequired: (code: string) => Promise<Session> }
  /** The user's role requires MFA and they have not enrolled: show the secret, then verify a first code. */
  | { mfaSetupRequired: () => Promise<MfaEnrolment> };

export interface MfaEnrolment {
  secretCode: string;
  otpauthUri: string;
  verify: (code: string) => Promise<Session>;
}

/** A call the service refused; `problem` is its problem+json (or the gateway's `{message}`). */
export class ShiftlineError extends Error {
  readonly status: number;
  readonly problem: unknown;
  constructor(status: number, problem: unknown) {
    const detail = (problem as { detail?: string; message?: string } | undefined) ?? {};
    super(`Shiftline answered ${status}: ${detail.detail ?? detail.message ?? 'no detail'}`);
    this.name = 'ShiftlineError';
    this.status = status;
    this.problem = problem;
  }
}
