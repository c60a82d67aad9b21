/**
 * Webhooks on the twin, delivered for real over HTTP to a local receiver: an endpoint for
 * contract.acknowledged and credential.verified gets each event once, signed (checked with the
 * standardwebhooks package, as docs/webhooks.md's receiver does); a tampered body fails; a
 * receiver answering 500 three times gets the event on the 4th attempt (retry schedule
 * compressed in the twin); a replay arrives again with the same webhook-id; a rotated secret
 * works, the old one too while it lasts. Admins only; private targets refused.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialOf, newStaffMember, type StaffMember } from './support/staff-members.ts';
import { api, eventually, loginAs, type Session } from './support/twin.ts';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
}

const received: Received[] = [];
/** Per path: statuses to answer before 200 (each request takes the next). */
const failuresFor = new Map<string, number[]>();
let receiver: Server;
let base: string;
let admin: Session;
let recruiter: Session;
let nurse: StaffMember;
const endpointIds: string[] = [];

const plainHeaders = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      received.push({ path, headers: plainHeaders(request.headers), body, payload: JSON.parse(body) });
      response.writeHead(failuresFor.get(path)?.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://localhost:${(receiver.address() as AddressInfo).port}`;
  [admin, recruiter, nurse] = await Promise.all([
    loginAs('admin'),
    loginAs('recruiter'),
    newStaffMember('webhook-nurse'),
  ]);
});

afterAll(async () => {
  // Later files' events must not queue deliveries to a receiver that is gone.
  for (const id of endpointIds)
    await api(`/webhooks/endpoints/${id}`, { method: 'DELETE', token: admin.idToken });
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const register = async (path: string, eventTypes: string[]) => {
  const created = await api('/webhooks/endpoints', {
    method: 'POST',
    token: admin.idToken,
    body: { url: `${base}${path}`, eventTypes, description: `e2e ${path}` },
  });
  expect(created.status).toBe(201);
  expect(created.body.secret).toMatch(/^whsec_/);
  endpointIds.push(created.body.id);
  return created.body as { id: string; secret: string };
};

const offeredContract = async () => {
  const created = await api('/contracts', {
    method: 'POST',
    token: recruiter.idToken,
    body: {
      staffId: nurse.staffId,
      title: 'Webhook ICU nights',
      terms: 'Three nights a week.',
      startDate: '2027-01-04',
      endDate: '2027-04-04',
    },
  });
  expect(created.status).toBe(201);
  const offered = await api(`/contracts/${created.body.id}/offer`, {
    method: 'POST',
    token: recruiter.idToken,
  });
  expect(offered.status).toBe(200);
  return offered.body as { id: string; currentVersion: number; contentHash: string };
};

const arrivals = (path: string, key: string, id: string) =>
  received.filter((item) => item.path === path && item.payload.data[key] === id);

const verifyWith = (secret: string, item: Received | undefined, body = item?.body ?? '') =>
  new Webhook(secret).verify(body, item?.headers ?? {});

describe('signed webhooks, delivered for real', () => {
  let main: { id: string; secret: string };
  let contractId: string;

  it('deliver each subscribed event once, with a valid signature', async () => {
    main = await register('/main', ['contract.acknowledged', 'credential.verified']);
    const contract = await offeredContract();
    contractId = contract.id;
    const acknowledged = await api(`/contracts/${contract.id}/acknowledge`, {
      method: 'POST',
      token: nurse.session.idToken,
      body: { version: contract.currentVersion, contentHash: contract.contentHash },
    });
    expect(acknowledged.status).toBe(200);
    const credentialId = await credentialOf(nurse, 'BLS');

    await expect.poll(() => arrivals('/main', 'credentialId', credentialId).length, eventually).toBe(1);
    await expect.poll(() => arrivals('/main', 'contractId', contract.id).length, eventually).toBe(1);
    const [contractEvent] = arrivals('/main', 'contractId', contract.id);
    const [credentialEvent] = arrivals('/main', 'credentialId', credentialId);
    expect(verifyWith(main.secret, contractEvent)).toMatchObject({
      type: 'contract.acknowledged',
      data: {
        contractId: contract.id,
        staffId: nurse.staffId,
        status: 'acknowledged',
        previousStatus: 'offered',
      },
    });
    expect(verifyWith(main.secret, credentialEvent)).toMatchObject({
      type: 'credential.verified',
      data: { credentialId, status: 'active', type: 'BLS' },
    });
    // The offer was not subscribed to; terms never travel.
    expect(
      received.filter((item) => item.path === '/main' && item.payload.type === 'contract.offered'),
    ).toEqual([]);
    expect(contractEvent?.body).not.toContain('Three nights a week');

    const deliveries = await api(`/webhooks/endpoints/${main.id}/deliveries`, { token: admin.idToken });
    expect(deliveries.status).toBe(200);
    const delivery = deliveries.body.items.find(
      (item: { webhookId: string }) => item.webhookId === contractEvent?.headers['webhook-id'],
    );
    expect(delivery).toMatchObject({
      eventType: 'contract.acknowledged',
      attempts: 1,
      lastStatus: 200,
      state: 'delivered',
    });
    expect(delivery.lastLatencyMs).toEqual(expect.any(Number));
  });

  it('fail verification when the body was tampered with', () => {
    const [event] = arrivals('/main', 'contractId', contractId);
    const tampered = event?.body.replace('"acknowledged"', '"terminated"');
    expect(() => verifyWith(main.secret, event, tampered)).toThrow(/No matching signature/);
  });

  it('retry a receiver answering 500 three times and deliver on the 4th attempt, same webhook-id', async () => {
    await register('/flaky', ['contract.offered']);
    failuresFor.set('/flaky', [500, 500, 500]);
    const contract = await offeredContract();

    await expect.poll(() => arrivals('/flaky', 'contractId', contract.id).length, eventually).toBe(4);
    const attempts = arrivals('/flaky', 'contractId', contract.id);
    expect(new Set(attempts.map((item) => item.headers['webhook-id'])).size).toBe(1);
    expect(failuresFor.get('/flaky')).toEqual([]);
    const endpointId = endpointIds.at(-1);
    await expect
      .poll(async () => {
        const list = await api(`/webhooks/endpoints/${endpointId}/deliveries`, { token: admin.idToken });
        return list.body.items[0];
      }, eventually)
      .toMatchObject({ attempts: 4, lastStatus: 200, state: 'delivered' });
  });

  it('replay a delivery: it arrives again with the same webhook-id, signed afresh', async () => {
    const [first] = arrivals('/main', 'contractId', contractId);
    const list = await api(`/webhooks/endpoints/${main.id}/deliveries`, { token: admin.idToken });
    const delivery = list.body.items.find(
      (item: { webhookId: string }) => item.webhookId === first?.headers['webhook-id'],
    );

    const replayed = await api(`/webhooks/deliveries/${delivery.id}/replay`, {
      method: 'POST',
      token: admin.idToken,
    });

    expect(replayed.status).toBe(202);
    await expect.poll(() => arrivals('/main', 'contractId', contractId).length, eventually).toBe(2);
    const [, again] = arrivals('/main', 'contractId', contractId);
    expect(again?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect(again?.body).toBe(first?.body);
    expect(verifyWith(main.secret, again)).toMatchObject({ type: 'contract.acknowledged' });
  });

  it('sign with a rotated secret, and with the old one too while it lasts', async () => {
    const rotated = await api(`/webhooks/endpoints/${main.id}/rotate-secret`, {
      method: 'POST',
      token: admin.idToken,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(main.secret);

    const credentialId = await credentialOf(nurse, 'ACLS');

    await expect.poll(() => arrivals('/main', 'credentialId', credentialId).length, eventually).toBe(1);
    const [event] = arrivals('/main', 'credentialId', credentialId);
    expect(event?.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verifyWith(rotated.body.secret, event)).toMatchObject({ type: 'credential.verified' });
    expect(verifyWith(main.secret, event)).toMatchObject({ type: 'credential.verified' });
    const read = await api(`/webhooks/endpoints/${main.id}`, { token: admin.idToken });
    expect(read.text).not.toContain('whsec_');
  });

  it('are for admins only, and refuse private targets', async () => {
    const byRecruiter = await api('/webhooks/endpoints', {
      method: 'POST',
      token: recruiter.idToken,
      body: { url: `${base}/x`, eventTypes: ['contract.offered'] },
    });
    const privateTarget = await api('/webhooks/endpoints', {
      method: 'POST',
      token: admin.idToken,
      body: { url: 'http://169.254.169.254/latest/meta-data', eventTypes: ['contract.offered'] },
    });

    expect(byRecruiter.status).toBe(403);
    expect(privateTarget.status).toBe(422);
  });
});
