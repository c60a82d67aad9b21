/** The twin's ports: fixed ones from the environment for `npm start`, free ones for tests and the bench. */
import { createServer } from 'node:net';
import { freePortList } from './free-port.ts';
import { canSeeListeners, describeProcess, listenerPids } from './port-holders.ts';

export interface TwinPorts {
  api: number;
  ws: number;
  dynamodb: number;
  cognito: number;
  s3: number;
  lambda: number;
  scheduler: number;
  /** The NPPES registry stub (local/nppes-stub.ts). */
  nppes: number;
  /** The SQS-compatible queues (local/sqs-queue.ts): webhook deliveries. */
  sqs: number;
}

export const defaultPorts = (): TwinPorts => ({
  api: portFromEnv('SHIFTLINE_API_PORT', 3000),
  ws: portFromEnv('SHIFTLINE_WS_PORT', 3001),
  scheduler: portFromEnv('SHIFTLINE_SCHEDULER_PORT', 3002),
  dynamodb: portFromEnv('SHIFTLINE_DYNAMODB_PORT', 8000),
  cognito: portFromEnv('SHIFTLINE_COGNITO_PORT', 9229),
  s3: portFromEnv('SHIFTLINE_S3_PORT', 4569),
  lambda: portFromEnv('SHIFTLINE_LAMBDA_PORT', 9001),
  nppes: portFromEnv('SHIFTLINE_NPPES_PORT', 3003),
  sqs: portFromEnv('SHIFTLINE_SQS_PORT', 3004),
});

export const freePorts = async (): Promise<TwinPorts> => {
  const [api = 0, ws = 0, scheduler = 0, dynamodb = 0, cognito = 0, s3 = 0, lambda = 0, nppes = 0, sqs = 0] =
    await freePortList(9);
  return { api, ws, scheduler, dynamodb, cognito, s3, lambda, nppes, sqs };
};

const portFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0 || value > 65535)
    throw new Error(`${name} must be a port number`);
  return value;
};

/** What holds a port, for a message a person can act on; undefined when the port is free. */
const holderOf = async (port: number): Promise<string | undefined> => {
  if (canSeeListeners()) {
    const pids = listenerPids(port);
    return pids.length === 0 ? undefined : pids.map(describeProcess).join(', ');
  }
  // Without /proc, try to bind it (on every interface, as DynamoDB Local does).
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
  return free ? undefined : 'another process';
};

/**
 * Refuses to start when a port the twin needs is taken, naming the process that holds it (an
 * earlier twin's DynamoDB Local would otherwise answer for this one, with another folder's data).
 */
export const assertPortsFree = async (ports: TwinPorts): Promise<void> => {
  const taken: string[] = [];
  for (const [part, port] of Object.entries(ports)) {
    const holder = await holderOf(port);
    if (holder !== undefined) taken.push(`port ${port} (${part}) is held by ${holder}`);
  }
  if (taken.length > 0)
    throw new Error(
      `cannot start the twin: ${taken.join('; ')}. Stop that process, or choose other ports ` +
        '(SHIFTLINE_API_PORT, SHIFTLINE_WS_PORT, SHIFTLINE_SCHEDULER_PORT, SHIFTLINE_DYNAMODB_PORT, ' +
        'SHIFTLINE_COGNITO_PORT, SHIFTLINE_S3_PORT, SHIFTLINE_LAMBDA_PORT, SHIFTLINE_NPPES_PORT, SHIFTLINE_SQS_PORT).',
    );
};
