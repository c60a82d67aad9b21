import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOAK_END, SOAK_START, soakSectionOf, withoutSoakSection } from '../../bench/soak-section.ts';

const RESULTS = [
  '# Benchmark results',
  '',
  '## Ledger',
  '',
  '| a |',
  '',
  SOAK_START,
  '## Soak',
  'met',
  SOAK_END,
  '',
].join('\n');

describe("RESULTS.md's soak section", () => {
  it('is found with its markers, so the bench keeps it when it rewrites the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'soak-')), 'RESULTS.md');
    writeFileSync(file, RESULTS);
    expect(soakSectionOf(file)).toBe([SOAK_START, '## Soak', 'met', SOAK_END].join('\n'));
  });

  it('is absent from a file without one, or without the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'soak-')), 'RESULTS.md');
    expect(soakSectionOf(file)).toBeUndefined();
    writeFileSync(file, '# Benchmark results\n');
    expect(soakSectionOf(file)).toBeUndefined();
  });

  it('is removed whole, so the soak writes one section, never two', () => {
    const rest = withoutSoakSection(RESULTS);
    expect(rest).not.toContain(SOAK_START);
    expect(rest).not.toContain('## Soak');
    expect(rest).toContain('| a |');
  });
});
