import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScheduledFunctionDefinition } from '#shared/functions.ts';
import { cronMatches, parseCronField, type RunningScheduler, startScheduler } from '../../local/scheduler.ts';

const definition = (minute: string, hour: string): ScheduledFunctionDefinition => ({
  entry: 'test/integration/scheduler.test.ts',
  description: 'test schedule',
  access: [],
  schedule: { minute, hour },
});

const at = (iso: string) => new Date(iso);
const sorted = (values: Set<number>) => [...values].sort((a, b) => a - b);

let scheduler: RunningScheduler | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await scheduler?.stop();
  scheduler = undefined;
});

describe('cron fields', () => {
  it('match numbers, *, lists, ranges and steps', () => {
    expect(parseCronField('*', 0, 59).size).toBe(60);
    expect(sorted(parseCronField('0', 0, 59))).toEqual([0]);
    expect(sorted(parseCronField('0,30', 0, 59))).toEqual([0, 30]);
    expect(sorted(parseCronField('*/15', 0, 59))).toEqual([0, 15, 30, 45]);
    expect(sorted(parseCronField('5/20', 0, 59))).toEqual([5, 25, 45]);
    expect(sorted(parseCronField('9-11', 0, 23))).toEqual([9, 10, 11]);
    expect(sorted(parseCronField('0-12/6,23', 0, 23))).toEqual([0, 6, 12, 23]);
  });

  it('refuse what EventBridge would refuse', () => {
    for (const bad of ['60', 'x', '*/0', '', '5-1', '1,,2', '?'])
      expect(() => parseCronField(bad, 0, 59)).toThrow();
  });

  it('match UTC minutes of a schedule', () => {
    const daily = { minute: '0', hour: '6' };
    expect(cronMatches(daily, at('2027-03-01T06:00:00Z'))).toBe(true);
    expect(cronMatches(daily, at('2027-03-01T06:00:59Z'))).toBe(true);
    expect(cronMatches(daily, at('2027-03-01T06:01:00Z'))).toBe(false);
    expect(cronMatches(daily, at('2027-03-01T07:00:00Z'))).toBe(false);
    // 06:00 UTC is 08:00 in Berlin in summer: the schedule is UTC, whatever the local zone.
    expect(cronMatches(daily, at('2027-07-01T08:00:00+02:00'))).toBe(true);
    const monthly = { minute: '0', hour: '7', day: '1' };
    expect(cronMatches(monthly, at('2027-03-01T07:00:00Z'))).toBe(true);
    expect(cronMatches(monthly, at('2027-03-02T07:00:00Z'))).toBe(false);
    const often = { minute: '*/30', hour: '*' };
    expect(cronMatches(often, at('2027-03-01T13:30:00Z'))).toBe(true);
    expect(cronMatches(often, at('2027-03-01T13:45:00Z'))).toBe(false);
  });
});

describe('scheduler', () => {
  it('invokes a function on its minute with an EventBridge Scheduled Event', async () => {
    vi.useFakeTimers({ now: at('2027-03-01T05:59:58.500Z') });
    const events: ScheduledEvent[] = [];
    const strays: ScheduledEvent[] = [];
    scheduler = await startScheduler({
      functions: [
        {
          name: 'sweep',
          definition: definition('0', '6'),
          handler: async (event) => void events.push(event),
        },
        {
          name: 'never',
          definition: definition('30', '3'),
          handler: async (event) => void strays.push(event),
        },
      ],
      region: 'eu-west-1',
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2027-03-01T06:00:00Z',
      region: 'eu-west-1',
      resources: ['arn:aws:events:eu-west-1:000000000000:rule/sweep'],
      detail: {},
    });
    expect(events[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(events).toHaveLength(1);
    expect(strays).toEqual([]);
  });

  it('fires a function through the control endpoint with the chosen time and returns its result', async () => {
    scheduler = await startScheduler({
      controlPort: 0,
      onError: () => undefined,
      functions: [
        {
          name: 'credential-expiry',
          definition: definition('0', '6'),
          handler: async (event) => ({ now: event.time, source: event.source, warned: 0 }),
        },
        {
          name: 'broken',
          definition: definition('0', '6'),
          handler: async () => Promise.reject(new Error('boom')),
        },
      ],
    });
    const fire = (name: string, body?: unknown) =>
      fetch(`${scheduler?.controlUrl}/schedules/${name}/fire`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    const chosen = await fire('credential-expiry', { time: '2027-12-24T06:00:00.000Z' });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).toEqual({ now: '2027-12-24T06:00:00Z', source: 'aws.events', warned: 0 });

    const now = await fire('credential-expiry');
    expect(now.status).toBe(200);
    const { now: time } = (await now.json()) as { now: string };
    expect(Math.abs(Date.parse(time) - Date.now())).toBeLessThan(5_000);

    expect((await fire('nope')).status).toBe(404);
    expect((await fire('credential-expiry', { time: 'tomorrow' })).status).toBe(400);
    const broken = await fire('broken');
    expect(broken.status).toBe(500);
    expect(await broken.json()).toEqual({ errorType: 'Error', errorMessage: 'boom' });
  });
});
