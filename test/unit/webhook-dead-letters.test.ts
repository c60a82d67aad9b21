import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deadLetterReport, webhookDeadLetters } from '../../local/webhook-dead-letters.ts';
import { webhookDeadLetterFile } from '../../local/webhook-queues.ts';

const line = (body: unknown, at: string) =>
  JSON.stringify({ messageId: 'm', body: JSON.stringify(body), at });

describe("the twin's webhook dead letters (npm run redrive -- webhookDelivery)", () => {
  it('lists each dead-lettered delivery once, latest letter, with the replay request', () => {
    // Prepare: D1 given up after 24 h, D2 dead-lettered twice (by the queue's redrive), a stray line.
    const dlqDir = mkdtempSync(join(tmpdir(), 'webhook-dlq-'));
    mkdirSync(dlqDir, { recursive: true });
    writeFileSync(
      webhookDeadLetterFile(dlqDir),
      [
        line(
          { deliveryId: 'D1', attempts: 30, reason: 'retries exhausted after 24 h' },
          '2026-03-02T09:00:00Z',
        ),
        line({ deliveryId: 'D2', attempts: 3 }, '2026-03-02T09:01:00Z'),
        'not json',
        line({ deliveryId: 'D2', attempts: 4 }, '2026-03-02T09:02:00Z'),
        '',
      ].join('\n'),
    );

    // Act
    const letters = webhookDeadLetters(dlqDir);
    const report = deadLetterReport(letters);

    // Assess
    expect(letters).toEqual([
      { deliveryId: 'D1', attempts: 30, reason: 'retries exhausted after 24 h', at: '2026-03-02T09:00:00Z' },
      { deliveryId: 'D2', attempts: 4, at: '2026-03-02T09:02:00Z' },
    ]);
    expect(report[0]).toMatch(/2 dead-lettered deliveries/);
    expect(report[1]).toContain('POST /webhooks/deliveries/D1/replay');
    expect(report[2]).toContain('POST /webhooks/deliveries/D2/replay');
  });

  it('says so when there is none (no file yet)', () => {
    // Act
    const report = deadLetterReport(webhookDeadLetters(mkdtempSync(join(tmpdir(), 'webhook-dlq-'))));

    // Assess
    expect(report).toEqual(['webhookDelivery: no dead-lettered deliveries']);
  });
});
