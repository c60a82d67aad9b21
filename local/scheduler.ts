import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { ScheduledFunctionDefinition } from '#shared/functions.ts';
import { createLambdaContext } from './lambda-context.ts';

export type ScheduledHandler = (
  event: ScheduledEvent<Record<string, never>>,
  context: Context,
) => Promise<unknown>;

export interface ScheduledFunction {
  name: string;
  definition: ScheduledFunctionDefinition;
  handler: ScheduledHandler;
}

export interface SchedulerOptions {
  functions: readonly ScheduledFunction[];
  /** Port of the twin-only control endpoint (0 picks a free one); omit for none. */
  controlPort?: number;
  region?: string;
  account?: string;
  onError?: (message: string, error: unknown) => void;
}

export interface RunningScheduler {
  /** `http://127.0.0.1:<port>` when a control port was given. */
  controlUrl?: string;
  /** Invokes the function now with an event whose `time` is `time` (default: now). */
  fire: (name: string, time?: Date) => Promise<unknown>;
  stop: () => Promise<void>;
}

const FIELDS = { minute: { min: 0, max: 59 }, hour: { min: 0, max: 23 }, day: { min: 1, max: 31 } } as const;

/**
 * One EventBridge cron field (numbers, `*`, lists, ranges, `*` or start `/` step) as the set
 * of values it matches; throws on anything else, so a bad schedule fails at start.
 */
export const parseCronField = (field: string, min: number, max: number): Set<number> => {
  const values = new Set<number>();
  const number = (text: string) => {
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      throw new Error(`cron field "${field}": ${text} is not in ${min}-${max}`);
    }
    return Number(text);
  };
  for (const part of field.split(',')) {
    const [range = '', step] = part.split('/');
    const by = step === undefined ? 1 : number(step);
    if (by < 1) throw new Error(`cron field "${field}": step must be at least 1`);
    const [from, to] =
      range === '*'
        ? [min, max]
        : range.includes('-')
          ? (range.split('-').map(number) as [number, number])
          : [number(range), step === undefined ? number(range) : max];
    if (from > to) throw new Error(`cron field "${field}": ${from}-${to} is empty`);
    for (let value = from; value <= to; value += by) values.add(value);
  }
  return values;
};

/** True when the UTC minute of `date` is one the schedule fires on. */
export const cronMatches = (schedule: ScheduledFunctionDefinition['schedule'], date: Date): boolean =>
  parseCronField(schedule.minute, FIELDS.minute.min, FIELDS.minute.max).has(date.getUTCMinutes()) &&
  parseCronField(schedule.hour, FIELDS.hour.min, FIELDS.hour.max).has(date.getUTCHours()) &&
  // Day of month: monthly jobs fire on their day, never daily.
  parseCronField(schedule.day ?? '*', FIELDS.day.min, FIELDS.day.max).has(date.getUTCDate());

/** EventBridge's `time`: whole seconds, UTC. */
const eventTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const readJson = async (request: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text === '' ? {} : JSON.parse(text);
};

const send = (response: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body ?? null);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
};

/** The event EventBridge sends a scheduled rule's target. */
const scheduledEvent = (name: string, time: Date, region: string, account: string) =>
  ({
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    time: eventTime(time),
    region,
    resources: [`arn:aws:events:${region}:${account}:rule/${name}`],
    detail: {},
  }) satisfies ScheduledEvent<Record<string, never>>;

type Fire = (name: string, time?: Date) => Promise<unknown>;
type OnError = (message: string, error: unknown) => void;

/** The `time` a control request asks for (now when it names none). */
const requestedTime = async (request: IncomingMessage): Promise<Date> => {
  const body = (await readJson(request)) as { time?: unknown };
  const time = body.time === undefined ? new Date() : new Date(String(body.time));
  if (Number.isNaN(time.getTime())) throw new Error('time is not an ISO date');
  return time;
};

/** `POST /schedules/<name>/fire` with `{ "time": "<ISO>" }` (optional): the handler's result. */
const serveControl = async (
  known: (name: string) => boolean,
  fire: Fire,
  onError: OnError,
  request: IncomingMessage,
  response: ServerResponse,
) => {
  const match = /^\/schedules\/([^/?]+)\/fire\/?(?:\?.*)?$/.exec(request.url ?? '');
  const name = match?.[1] ? decodeURIComponent(match[1]) : undefined;
  if (!name || request.method !== 'POST') return send(response, 404, { message: 'Not found' });
  if (!known(name)) return send(response, 404, { message: `No scheduled function named ${name}` });
  let time: Date;
  try {
    time = await requestedTime(request);
  } catch (error) {
    return send(response, 400, { message: error instanceof Error ? error.message : 'bad request' });
  }
  try {
    send(response, 200, await fire(name, time));
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    onError(`${name} failed`, failure);
    send(response, 500, { errorType: failure.name, errorMessage: failure.message });
  }
};

/** Starts the control endpoint on `port` (0 picks a free one); returns the server and its URL. */
const startControl = async (
  port: number,
  serve: (request: IncomingMessage, response: ServerResponse) => void,
) => {
  const server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

/**
 * Fires each due function every minute; re-armed from the clock each time, so the ticks do not
 * drift; missed minutes are not replayed. Returns what stops it.
 */
const startTicking = (functions: ReadonlyMap<string, ScheduledFunction>, fire: Fire, onError: OnError) => {
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = Date.now();
    const minute = new Date(now - (now % 60_000));
    for (const fn of functions.values()) {
      if (!cronMatches(fn.definition.schedule, minute)) continue;
      fire(fn.name, minute).catch((error: unknown) => onError(`${fn.name} failed`, error));
    }
    schedule();
  };
  const schedule = () => {
    timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 5);
  };
  schedule();
  return () => clearTimeout(timer);
};

/**
 * Runs each scheduled function on its cron (minute and hour, UTC) with the event EventBridge
 * sends, and serves a control endpoint, twin only, that fires one now with a chosen `time`.
 */
export const startScheduler = async (options: SchedulerOptions): Promise<RunningScheduler> => {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const account = options.account ?? '000000000000';
  const onError = options.onError ?? ((message, error) => console.error(`[scheduler] ${message}`, error));
  const functions = new Map(options.functions.map((fn) => [fn.name, fn]));
  for (const fn of functions.values()) cronMatches(fn.definition.schedule, new Date());

  const fire: Fire = async (name, time = new Date()) => {
    const fn = functions.get(name);
    if (!fn) throw new Error(`no scheduled function named ${name}`);
    return fn.handler(scheduledEvent(name, time, region, account), createLambdaContext(name));
  };
  const stopTicking = startTicking(functions, fire, onError);
  const control =
    options.controlPort === undefined
      ? undefined
      : await startControl(options.controlPort, (request, response) => {
          void serveControl((name) => functions.has(name), fire, onError, request, response);
        });

  return {
    controlUrl: control?.url,
    fire,
    stop: async () => {
      stopTicking();
      if (control) {
        await new Promise<void>((resolve) => {
          control.server.close(() => resolve());
          control.server.closeAllConnections();
        });
      }
    },
  };
};
