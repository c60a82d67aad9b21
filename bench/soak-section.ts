/**
 * RESULTS.md's soak section, written by `npm run soak` between these markers. `npm run bench`
 * rewrites the rest of the file and keeps the section (it says when its soak ran).
 */
import { existsSync, readFileSync } from 'node:fs';

export const SOAK_START = '<!-- soak:start -->';
export const SOAK_END = '<!-- soak:end -->';
const SOAK_BLOCK = new RegExp(`\\n?${SOAK_START}[\\s\\S]*${SOAK_END}\\n?`);

/** The file's soak section, markers included, or undefined. */
export const soakSectionOf = (file: string): string | undefined =>
  existsSync(file) ? SOAK_BLOCK.exec(readFileSync(file, 'utf8'))?.[0].trim() : undefined;

/** The file's text without its soak section. */
export const withoutSoakSection = (text: string): string => text.replace(SOAK_BLOCK, '\n');
