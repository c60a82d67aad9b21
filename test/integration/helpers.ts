import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../../local/dynamodb.ts';

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

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

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
