import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchedLines } from '../../local/access-log.ts';

describe("the twin's access log", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the lines of many requests at once, in order, within 25 ms', () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const writes: string[] = [];
    const log = batchedLines('[http] ', (text) => writes.push(text));

    // Act
    log('GET /me 200 3ms L1');
    log('GET /contracts 200 9ms L2');
    const beforeFlush = [...writes];
    vi.advanceTimersByTime(25);
    log('GET /health 200 1ms L3');
    vi.advanceTimersByTime(25);

    // Assess
    expect(beforeFlush).toEqual([]);
    expect(writes).toEqual([
      '[http] GET /me 200 3ms L1\n[http] GET /contracts 200 9ms L2\n',
      '[http] GET /health 200 1ms L3\n',
    ]);
  });

  it('writes what is pending when the process exits', () => {
    // Prepare
    const writes: string[] = [];
    const before = new Set(process.listeners('exit'));
    const log = batchedLines('[http] ', (text) => writes.push(text));
    const onExit = process.listeners('exit').find((listener) => !before.has(listener));
    log('GET /me 200 3ms L1');

    // Act (the listener itself: emitting 'exit' would run the test runner's own listeners too)
    onExit?.(0);

    // Assess
    expect(writes).toEqual(['[http] GET /me 200 3ms L1\n']);
  });
});
