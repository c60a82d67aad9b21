/**
 * User pool settings declared once: the CDK stack's Cognito pool and the twin's
 * cognito-local pool are both built from these.
 */
export const PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 3,
} as const;

/** Users sign in with their email; the username is the Cognito sub. */
export const SIGN_IN_ALIASES = { email: true } as const;

export const TOKEN_VALIDITY = {
  accessTokenMinutes: 60,
  idTokenMinutes: 60,
  refreshTokenDays: 30,
} as const;

/** The app client's auth flows: USER_PASSWORD_AUTH for the /auth routes, SRP for hosted UIs. */
export const AUTH_FLOWS = { userPassword: true, userSrp: true } as const;
