/**
 * `npm run bench -- --smoke`: every part runs end to end in seconds (1 s runs, a twentieth of the
 * messages), to check the bench works; its figures mean nothing, so RESULTS.md is left alone.
 */
export const SMOKE = process.argv.includes('--smoke');

/** A run's duration: `seconds`, or 1 s in a smoke run. */
export const benchSeconds = (seconds: number): number => (SMOKE ? 1 : seconds);

/** How many messages or writes: `count`, or a twentieth of it in a smoke run. */
export const benchCount = (count: number): number => (SMOKE ? Math.max(1, Math.ceil(count / 20)) : count);
