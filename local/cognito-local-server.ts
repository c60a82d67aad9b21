/**
 * Runs cognito-local with the few Cognito behaviours it lacks and Shiftline relies on, so the
 * twin answers as Cognito does (each one is asserted by an e2e story):
 * - passwords (cognito-shim/passwords.ts): the pool's password policy on SignUp,
 *   NEW_PASSWORD_REQUIRED and AdminSetUserPassword; the password checked in every state,
 *   temporary ones included; disabled users can neither log in nor refresh; a challenge is
 *   answered only with the session issued to its user; the refresh token issued on answering
 *   NEW_PASSWORD_REQUIRED works (cognito-local forgets it);
 * - tokens (cognito-shim/tokens.ts): id tokens carry the user's standard attributes such as
 *   `name`; every token carries the `origin_jti` of its authentication;
 * - AdminUserGlobalSignOut (cognito-shim/sign-out.ts): every refresh token of the user dies;
 * - mail (cognito-shim/mail.ts): every email is a JSON file under `<data dir>/mail/`;
 *   ResendConfirmationCode;
 * - TOTP MFA (cognito-shim/mfa.ts): access tokens verified on AssociateSoftwareToken,
 *   VerifySoftwareToken and SetUserMFAPreference; AdminSetUserMFAPreference.
 * Started by local/identity.ts in place of cognito-local's own bin.
 */
import './cognito-shim/mail.ts';
import './cognito-shim/mfa.ts';
import './cognito-shim/passwords.ts';
import './cognito-shim/sign-out.ts';
import './cognito-shim/tokens.ts';
import { require } from './cognito-shim/targets.ts';

require('cognito-local/lib/bin/start.js');
