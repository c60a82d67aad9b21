/**
 * Protected health information and secrets: the keys whose values never reach a log line, and
 * that the audit ledger records as "[redacted]" in `changes`. Declared once for both.
 */
export const PHI_KEYS = [
  'dateOfBirth',
  'phone',
  'email',
  // credential number
  'number',
  'npi',
  // message body (and any request body that is logged by mistake)
  'body',
  'subject',
  // document and attachment names
  'name',
  'note',
  'notes',
  'reason',
  // what a primary-source check compared (names, NPIs, licence numbers)
  'profileValue',
  'sourceValue',
  // secrets of the login flows
  'password',
  'newPassword',
  'currentPassword',
  'temporaryPassword',
  'code',
  'session',
  'idToken',
  'accessToken',
  'refreshToken',
  'authorization',
  'token',
  // secrets of TOTP MFA (issue 12) and of webhooks
  'secretCode',
  'totpSecret',
  'otpauthUri',
  'webhookSecret',
  'secret',
  // a webhook endpoint's rotated-out secret, valid for 24 h after a rotation
  'previousSecret',
] as const;

export type PhiKey = (typeof PHI_KEYS)[number];

export const REDACTED = '[redacted]';

// Header names arrive in any case (`Authorization`), so matching ignores case.
const PHI_KEY_SET: ReadonlySet<string> = new Set(PHI_KEYS.map((key) => key.toLowerCase()));

export const isPhiKey = (key: string): boolean => PHI_KEY_SET.has(key.toLowerCase());

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * A copy of `value` with the value of every PHI key replaced by "[redacted]", at any depth of
 * plain objects and arrays. Other objects (Error, Date, class instances) are kept as they are:
 * the logger formats errors first and redacts the result.
 */
export const redactPhi = (value: unknown): unknown => redactAt(value, new WeakSet());

const redactAt = (value: unknown, seen: WeakSet<object>): unknown => {
  if (Array.isArray(value)) {
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    const copy = value.map((item) => redactAt(item, seen));
    seen.delete(value);
    return copy;
  }
  if (!isPlainObject(value)) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  // fromEntries defines own properties, so a `__proto__` key cannot reach the prototype.
  const copy = Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      isPhiKey(key) && item !== undefined && item !== null ? REDACTED : redactAt(item, seen),
    ]),
  );
  seen.delete(value);
  return copy;
};
