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

export type Problem = components['schemas']['Problem'];
/** API Gateway's own answer (401 before the service, 429). */
export type GatewayError = components['schemas']['GatewayError'];

/** A call the service refused; `problem` is its problem+json, or the gateway's `{message}`. */
export class ShiftlineError extends Error {
  readonly status: number;
  readonly problem: Problem | GatewayError | undefined;
  /** The gateway's reason for a 401 (`error_description` of `www-authenticate`), when it gave one. */
  readonly authError: string | undefined;
  constructor(status: number, problem: unknown, headers?: Headers) {
    const detail = (problem as { detail?: string; message?: string } | undefined) ?? {};
    const authError = /error_description="([^"]*)"/.exec(headers?.get('www-authenticate') ?? '')?.[1];
    super(`Shiftline answered ${status}: ${authError ?? detail.detail ?? detail.message ?? 'no detail'}`);
    this.name = 'ShiftlineError';
    this.status = status;
    this.problem = problem as Problem | GatewayError | undefined;
    this.authError = authError;
  }

  /** The problem type (`urn:shiftline:problem:…`), when the service (not the gateway) refused. */
  get type(): string | undefined {
    return this.problem && 'type' in this.problem ? this.problem.type : undefined;
  }
}

/** The problem+json of a refusal (not the gateway's `{message}`), narrowed from a call's `error`. */
export const problemOf = (error: unknown): Problem | undefined =>
  typeof error === 'object' && error !== null && 'type' in error && 'status' in error
    ? (error as Problem)
    : undefined;

/**
 * The data of a call, or a ShiftlineError: `const contract = await ok(client.api.GET(...))`
 * for code that handles refusals in one place.
 */
export const ok = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
  const { data, error, response } = await call;
  if (!response.ok) throw new ShiftlineError(response.status, error, response.headers);
  return data as T;
};
