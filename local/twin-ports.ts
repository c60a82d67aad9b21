/** The twin's ports: fixed ones from the environment for `npm start`, free ones for tests and the bench. */
import { freePortList } from './free-port.ts';

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
});

export const freePorts = async (): Promise<TwinPorts> => {
  const [api = 0, ws = 0, scheduler = 0, dynamodb = 0, cognito = 0, s3 = 0, lambda = 0, nppes = 0] =
    await freePortList(8);
  return { api, ws, scheduler, dynamodb, cognito, s3, lambda, nppes };
};

const portFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0 || value > 65535)
    throw new Error(`${name} must be a port number`);
  return value;
};
