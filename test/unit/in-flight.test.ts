import { describe, expect, it } from 'vitest';
import { forEachInFlight } from '#domain/in-flight.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('work with a bound on what is in flight', () => {
  it('never has more than the limit running, starts items in order and does each once', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const started: number[] = [];
    // Act
    await forEachInFlight([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      started.push(item);
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
    });
    // Assess
    expect(most).toBe(3);
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('rejects with the failure of an item', async () => {
    // Act
    const outcome = forEachInFlight([1, 2, 3], 2, async (item) => {
      await tick();
      if (item === 2) throw new Error('item 2 failed');
    });
    // Assess
    await expect(outcome).rejects.toThrow('item 2 failed');
  });

  it('runs everything at once when unbounded, and nothing for no items', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const work = async () => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
    };
    // Act
    await forEachInFlight([1, 2, 3, 4], Number.POSITIVE_INFINITY, work);
    await forEachInFlight([], 2, work);
    // Assess
    expect(most).toBe(4);
  });
});
