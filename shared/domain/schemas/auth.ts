import * as z from 'zod';
import { ROLES } from '../roles.ts';
import '../zod-openapi.ts';

/** Emails are compared case-insensitively (as the user pool does): trimmed and lower-cased. */
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'A valid email address' }).max(254));

// Cognito enforces the pool's policy (PASSWORD_POLICY); this only bounds the input.
const PasswordSchema = z.string().min(1).max(256);
const NameSchema = z.string().trim().min(1).max(200);
const TokenSchema = z.string().min(1).max(8192);

export const SignupBodySchema = z
  .object({ email: EmailSchema, password: PasswordSchema, name: NameSchema })
  .strict()
  .openapi('SignupRequest');

// The same for a new and an existing email: nothing reveals whether an account exists.
export const SignupResponseSchema = z.object({ confirmed: z.literal(false) }).openapi('SignupResponse');

export const EmailBodySchema = z.object({ email: EmailSchema }).strict().openapi('EmailRequest');

export const ResetBodySchema = z
  .object({ email: EmailSchema, code: z.string().trim().min(1).max(16), newPassword: PasswordSchema })
  .strict()
  .openapi('ResetPasswordRequest');

export const ChangePasswordBodySchema = z
  .object({ currentPassword: PasswordSchema, newPassword: PasswordSchema })
  .strict()
  .openapi('ChangePasswordRequest');

export const ConfirmBodySchema = z
  .object({ email: EmailSchema, code: z.string().trim().min(1).max(16) })
  .strict()
  .openapi('ConfirmRequest');

export const LoginBodySchema = z
  .object({ email: EmailSchema, password: PasswordSchema })
  .strict()
  .openapi('LoginRequest');

export const NewPasswordBodySchema = z
  .object({ email: EmailSchema, session: TokenSchema, newPassword: PasswordSchema })
  .strict()
  .openapi('NewPasswordRequest');

export const RefreshBodySchema = z.object({ refreshToken: TokenSchema }).strict().openapi('RefreshRequest');
export const LogoutBodySchema = z.object({ refreshToken: TokenSchema }).strict().openapi('LogoutRequest');

export const RoleSchema = z.enum(ROLES);

export const SessionUserSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), roles: z.array(RoleSchema) })
  .openapi('SessionUser');

export const TokensSchema = z
  .object({
    idToken: z.string(),
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().describe('Seconds until the id and access tokens expire'),
    user: SessionUserSchema,
  })
  .openapi('Tokens');

export const ChallengeSchema = z
  .object({
    challenge: z.enum(['NEW_PASSWORD_REQUIRED', 'SOFTWARE_TOKEN_MFA', 'MFA_SETUP']),
    session: z.string(),
  })
  .openapi('Challenge', {
    description:
      'NEW_PASSWORD_REQUIRED: an invited user chooses a password (POST /auth/new-password). SOFTWARE_TOKEN_MFA: a code from the authenticator app (POST /auth/mfa/challenge). MFA_SETUP: the role requires MFA and the user has not enrolled (POST /auth/mfa/setup, then /auth/mfa/verify)',
  });

export const LoginResponseSchema = z.union([TokensSchema, ChallengeSchema]).openapi('LoginResponse');

export const RefreshedTokensSchema = z
  .object({ idToken: z.string(), accessToken: z.string(), expiresIn: z.number().int() })
  .openapi('RefreshedTokens');

export const MeSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    roles: z.array(RoleSchema),
    staffProfileId: z.string().nullable().describe('The caller’s staff profile, if they have one'),
  })
  .openapi('Me');

const TotpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, { message: 'six digits from the authenticator app' });

export const MfaSetupBodySchema = z
  .object({
    session: TokenSchema.optional().describe(
      'The MFA_SETUP session of a login; omit it with a bearer access token',
    ),
  })
  .strict()
  .openapi('MfaSetupRequest');

export const MfaSetupSchema = z
  .object({
    secretCode: z.string().describe('The TOTP secret (base32) to enter in an authenticator app'),
    otpauthUri: z.string().describe('The same secret as an otpauth:// URI (for a QR code)'),
    session: z.string().optional().describe('The MFA_SETUP session, for POST /auth/mfa/verify'),
  })
  .openapi('MfaSetup');

export const MfaVerifyBodySchema = z
  .object({
    code: TotpCodeSchema,
    email: EmailSchema.optional().describe('With `session`: the user of the MFA_SETUP login'),
    session: TokenSchema.optional().describe('The MFA_SETUP session; omit it with a bearer access token'),
  })
  .strict()
  .openapi('MfaVerifyRequest');

export const MfaChallengeBodySchema = z
  .object({ email: EmailSchema, session: TokenSchema, code: TotpCodeSchema })
  .strict()
  .openapi('MfaChallengeRequest');
