/**
 * The abuse limits a function applies: shared/domain/identity/abuse-limits.ts's defaults, each
 * overridable by its environment variable (the stack sets them from CDK context; the twin from
 * the same names, so the bench can measure login throughput with the limits out of the way).
 */
import {
  LOGIN_LIMITS,
  type LoginLimits,
  MAIL_LIMITS,
  type MailLimits,
} from '#domain/identity/abuse-limits.ts';
import { type EnvKey, optionalEnv } from './config.ts';

const count = (key: EnvKey, fallback: number): number => {
  const value = Number(optionalEnv(key) ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

export const loginLimits = (): LoginLimits => ({
  perEmailAndSource: {
    ...LOGIN_LIMITS.perEmailAndSource,
    maxFailures: count('loginFailuresPerSource', LOGIN_LIMITS.perEmailAndSource.maxFailures),
  },
  perEmail: {
    ...LOGIN_LIMITS.perEmail,
    maxFailures: count('loginFailuresPerEmail', LOGIN_LIMITS.perEmail.maxFailures),
  },
});

export const mailLimits = (): MailLimits => ({
  ...MAIL_LIMITS,
  perEmail: count('mailPerEmail', MAIL_LIMITS.perEmail),
  perSource: count('mailPerSource', MAIL_LIMITS.perSource),
});
