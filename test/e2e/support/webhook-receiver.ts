/**
 * A local webhook receiver for e2e files other than webhooks.test.ts: an HTTP server on
 * localhost that keeps every request (raw body and headers, for signature checks) and answers
 * 200, and the endpoint an admin registers for it (deleted on close, so later files' events
 * queue nothing for a receiver that is gone).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { api } from './twin.ts';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
}

export interface WebhookReceiver {
  received: ReceivedWebhook[];
  secret: string;
  close(): Promise<void>;
}

export const startWebhookReceiver = async (
  adminToken: string,
  eventTypes: string[],
): Promise<WebhookReceiver> => {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      );
      received.push({ headers, body, payload: JSON.parse(body) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}/hook`;
  const created = await api('/webhooks/endpoints', {
    method: 'POST',
    token: adminToken,
    body: { url, eventTypes, description: `e2e ${eventTypes.join(', ')}` },
  });
  expect(created.status, created.text).toBe(201);
  return {
    received,
    secret: created.body.secret as string,
    close: async () => {
      await api(`/webhooks/endpoints/${created.body.id}`, { method: 'DELETE', token: adminToken });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
