/**
 * The backlog a burst leaves: senders POST messages back to back for BURST_SECONDS (as fast as
 * the twin answers), then one more message is sent. Measured from the end of the burst: when
 * that message's frame arrives live, and when the ledger holds the burst's last messages (each
 * sender's final one) and the probe — i.e. how far behind the audit stream consumer fell.
 */

import { connect } from './realtime.ts';
import { benchSeconds } from './scale.ts';
import type { BenchContext } from './workloads.ts';

export interface BacklogFigure {
  seconds: number;
  senders: number;
  sent: number;
  /** From the end of the burst until the next message's frame arrived. */
  liveAfterMs: number;
  /** From the end of the burst until the ledger held the last messages (undefined: not within the wait). */
  ledgerAfterMs: number | undefined;
}

const BURST_SECONDS = benchSeconds(20);
const SENDERS = 50;
const LEDGER_WAIT_MS = 180_000;

const sendMessage = async (context: BenchContext, conversationId: string, clientMessageId: string) => {
  const sent = await context.call(
    'POST',
    `/conversations/${conversationId}/messages`,
    context.sessions.recruiter.idToken,
    {
      body: `backlog ${clientMessageId}`,
      clientMessageId,
    },
  );
  if (sent.status !== 201) throw new Error(`burst send failed: ${sent.status}`);
  return (sent.body as { id: string }).id;
};

/** Each sender's messages back to back until the deadline; the id of its last one. */
const burst = async (context: BenchContext, conversationId: string) => {
  const deadline = performance.now() + BURST_SECONDS * 1000;
  let sent = 0;
  const lastIds = await Promise.all(
    Array.from({ length: SENDERS }, async (_, sender) => {
      let last = '';
      for (let sequence = 0; performance.now() < deadline; sequence += 1) {
        last = await sendMessage(context, conversationId, `burst-${process.pid}-${sender}-${sequence}`);
        sent += 1;
      }
      return last;
    }),
  );
  return { sent, lastIds };
};

/** Waits until every message has its ledger entry (GET /audit/Message/{id}, as an auditor would). */
const ledgerHolds = async (context: BenchContext, messageIds: readonly string[]) => {
  const pending = new Set(messageIds);
  const giveUpAt = performance.now() + LEDGER_WAIT_MS;
  while (pending.size > 0 && performance.now() < giveUpAt) {
    for (const id of [...pending]) {
      const chain = await context.call('GET', `/audit/Message/${id}`, context.sessions.admin.idToken);
      const items = (chain.body as { items?: unknown[] } | undefined)?.items ?? [];
      if (chain.status === 200 && items.length > 0) pending.delete(id);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return pending.size === 0;
};

export const measureBacklog = async (
  wsUrl: string,
  context: BenchContext,
  conversationId: string,
): Promise<BacklogFigure> => {
  const receiver = await connect(wsUrl, context.sessions.staff.idToken);
  try {
    const { sent, lastIds } = await burst(context, conversationId);
    const burstEnded = performance.now();
    const probeId = `backlog-probe-${process.pid}`;
    const arrived = new Promise<number>((resolve) =>
      receiver.onFrame((frame) => {
        if (frame.type === 'message.created' && frame.message?.clientMessageId === probeId)
          resolve(performance.now());
      }),
    );
    const probe = await sendMessage(context, conversationId, probeId);
    const liveAfterMs = (await arrived) - burstEnded;
    const landed = await ledgerHolds(context, [...lastIds, probe]);
    return {
      seconds: BURST_SECONDS,
      senders: SENDERS,
      sent,
      liveAfterMs: Math.round(liveAfterMs),
      ledgerAfterMs: landed ? Math.round(performance.now() - burstEnded) : undefined,
    };
  } finally {
    receiver.socket.close();
  }
};

/** The RESULTS.md lines. */
export const backlogSection = (figure: BacklogFigure): string[] => [
  '### Backlog after a burst',
  '',
  `${figure.senders} senders POST messages back to back for ${figure.seconds} s (${figure.sent} messages,`,
  `${Math.round(figure.sent / figure.seconds)}/s), then one more. From the end of the burst: its frame arrives live, and the`,
  "ledger holds the burst's last messages and that one (target ≤ 2 s for both).",
  '',
  '| sent | live after | ledger after |',
  '|---:|---:|---:|',
  `| ${figure.sent} | ${figure.liveAfterMs} ms | ${figure.ledgerAfterMs === undefined ? `not within ${LEDGER_WAIT_MS / 1000} s` : `${figure.ledgerAfterMs} ms`} |`,
  '',
];
