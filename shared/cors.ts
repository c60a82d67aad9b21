/**
 * The HTTP API's CORS, declared once: the stack configures API Gateway with it and the twin's
 * gateway answers with it. Origins come from the `allowedOrigins` context setting (cdk.json or
 * `-c allowedOrigins=…`), in API Gateway's syntax: exact origins, `*`, or a scheme with a
 * wildcard host (`https://*.example.org`).
 */
export const CORS = {
  defaultOrigins: ['http://localhost:5173'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
  // www-authenticate: a browser client reads why its token was refused (expired or not).
  exposeHeaders: ['etag', 'x-request-id', 'idempotent-replayed', 'location', 'www-authenticate'],
  maxAgeSeconds: 3600,
} as const;

/** The `allowedOrigins` setting as CDK context gives it: a JSON list or a comma-separated string. */
export const originsOf = (value: unknown, fallback: readonly string[] = CORS.defaultOrigins): string[] => {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value !== '') return value.split(',').map((item) => item.trim());
  return [...fallback];
};

/** Whether API Gateway would allow `origin` under `allowed` (exact, `*`, or `scheme://*.host`). */
export const originAllowed = (origin: string, allowed: readonly string[]): boolean =>
  allowed.some((pattern) => {
    if (pattern === '*' || pattern === origin) return true;
    if (!pattern.includes('*')) return false;
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('[^/]*');
    return new RegExp(`^${source}$`).test(origin);
  });
