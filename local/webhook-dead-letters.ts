/**
 * What the twin's webhook dead-letter queue holds (`<data dir>/dlq/shiftline-webhooks-dlq.jsonl`),
 * for `npm run redrive -- webhookDelivery`. A dead letter is a delivery given up after 24 h of
 * retries (marked `failed`) or a message the delivery function could not handle five times:
 * either way the way back is `POST /webhooks/deliveries/{id}/replay` (admin, audited, the same
 * `webhook-id`), not the message itself, which the function would skip (docs/runbook.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { webhookDeadLetterFile } from './webhook-queues.ts';

export interface WebhookDeadLetter {
  deliveryId: string;
  attempts?: number;
  reason?: string;
  /** When the queue took it. */
  at?: string;
}

const deadLetterOf = (line: string): WebhookDeadLetter | undefined => {
  try {
    const { body, at } = JSON.parse(line) as { body?: string; at?: string };
    const task = JSON.parse(body ?? '') as Partial<WebhookDeadLetter>;
    if (typeof task.deliveryId !== 'string') return undefined;
    return {
      deliveryId: task.deliveryId,
      ...(typeof task.attempts === 'number' ? { attempts: task.attempts } : {}),
      ...(typeof task.reason === 'string' ? { reason: task.reason } : {}),
      ...(typeof at === 'string' ? { at } : {}),
    };
  } catch {
    return undefined;
  }
};

/** The dead-lettered deliveries, oldest first, one per delivery (its latest letter). */
export const webhookDeadLetters = (dlqDir: string): WebhookDeadLetter[] => {
  const file = webhookDeadLetterFile(dlqDir);
  if (!existsSync(file)) return [];
  const latest = new Map<string, WebhookDeadLetter>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const letter = line.trim() === '' ? undefined : deadLetterOf(line);
    if (!letter) continue;
    latest.delete(letter.deliveryId);
    latest.set(letter.deliveryId, letter);
  }
  return [...latest.values()];
};

/** The operator's report: each delivery and the request that replays it. */
export const deadLetterReport = (letters: readonly WebhookDeadLetter[]): string[] =>
  letters.length === 0
    ? ['webhookDelivery: no dead-lettered deliveries']
    : [
        `webhookDelivery: ${letters.length} dead-lettered deliveries; replay each as an admin (same webhook-id, retried afresh):`,
        ...letters.map(
          (letter) =>
            `  POST /webhooks/deliveries/${letter.deliveryId}/replay   (${letter.attempts ?? '?'} attempts${letter.reason ? `, ${letter.reason}` : ''}${letter.at ? `, ${letter.at}` : ''})`,
        ),
      ];
