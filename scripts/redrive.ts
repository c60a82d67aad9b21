/**
 * `npm run redrive -- <consumer>`: replays the twin's dead-lettered stream batches
 * (.data/dlq/<consumer>.jsonl) into the consumer's handler module; batches that succeed are
 * removed, the others stay. `npm run redrive -- webhookDelivery` lists the webhook dead letters
 * with the replay request of each (local/webhook-dead-letters.ts). The handler gets the environment the twin recorded in
 * .data/twin.json (table names, endpoints); variables already set take precedence.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QUEUE_FUNCTIONS, STREAM_CONSUMERS } from '#shared/functions.ts';
import { redrive, type StreamHandler } from '../local/stream-poller.ts';
import { deadLetterReport, webhookDeadLetters } from '../local/webhook-dead-letters.ts';

const root = join(import.meta.dirname, '..');
const name = process.argv[2];
// Webhook dead letters are replayed through the API, not into the function: listed here.
if (name && name in QUEUE_FUNCTIONS) {
  for (const line of deadLetterReport(webhookDeadLetters(join(root, '.data', 'dlq')))) console.log(line);
  process.exit(0);
}
const definition = name ? STREAM_CONSUMERS[name] : undefined;
if (!name || !definition) {
  const known =
    [...Object.keys(STREAM_CONSUMERS), ...Object.keys(QUEUE_FUNCTIONS)].join(', ') || 'none registered yet';
  console.error(`usage: npm run redrive -- <consumer>   (consumers: ${known})`);
  process.exit(2);
}

const twinFile = join(root, '.data', 'twin.json');
if (existsSync(twinFile)) {
  const { env = {} } = JSON.parse(readFileSync(twinFile, 'utf8')) as { env?: Record<string, string> };
  for (const [key, value] of Object.entries(env)) process.env[key] ??= value;
}

const module = (await import(pathToFileURL(join(root, definition.entry)).href)) as { handler?: unknown };
if (typeof module.handler !== 'function') {
  console.error(`${definition.entry} exports no handler`);
  process.exit(1);
}
const result = await redrive({
  name,
  handler: module.handler as StreamHandler,
  dlqDir: join(root, '.data', 'dlq'),
});
console.log(`${name}: ${result.replayed} batch(es) replayed, ${result.failed} still failing`);
process.exitCode = result.failed > 0 ? 1 : 0;
