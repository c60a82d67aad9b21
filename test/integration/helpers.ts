import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { vi } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb.ts';
import { freePort } from '../../local/free-port.ts';

const created: string[] = [];

/** Everything the tests write stays under .data/ (ignored by git); removeTestDirs() clears it. */
export const testDir = (name: string) => {
  const base = join(process.cwd(), '.data', 'test');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${name}-`));
  created.push(dir);
  return dir;
};

export const removeTestDirs = () => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
};

export { freePort } from '../../local/free-port.ts';

// DynamoDB Local 10.3 refuses access key ids with anything but letters and digits.
export const testCredentials = { accessKeyId: 'integration', secretAccessKey: 'integration' };

/** An in-memory DynamoDB Local of the test file's own. */
export const startTestDynamoDb = async (name: string) => {
  const port = await freePort();
  const local = await startDynamoDbLocal({
    port,
    logFile: join(process.cwd(), '.data', 'logs', `test-${name}-dynamodb.log`),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: testCredentials });
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await local.stop();
    },
  };
};

/**
 * Points the repositories (which read their settings and the SDK endpoint from the environment
 * when first imported) at a test's DynamoDB Local and table. Undo with vi.unstubAllEnvs().
 */
export const stubRepositoryEnv = (endpoint: string, mainTable: string) => {
  vi.stubEnv('MAIN_TABLE_NAME', mainTable);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', testCredentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', testCredentials.secretAccessKey);
};
