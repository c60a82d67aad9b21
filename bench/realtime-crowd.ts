/**
 * Live latency to many users at once: a conversation as full as the product allows
 * (MAX_PARTICIPANTS: the sender and staff members who signed themselves up), 100 connections in
 * all spread over them (with 99 participants: the sender's two tabs and one for each other). The fan-out looks up each participant's
 * connections (one BatchGetItem of their presence items) and posts to all of them concurrently.
 */
import { MAX_PARTICIPANTS } from '#domain/schemas/messaging.ts';
import { type LatencyFigure, measureLatency } from './realtime.ts';
import type { BenchContext } from './workloads.ts';

const CONNECTIONS = 100;
const PASSWORD = 'Bench-Crowd-42!';

/** A self-signed-up staff member's id token (sign-up, the twin's confirmation code, login). */
const staffMember = async ({ call }: BenchContext, index: number, code: string) => {
  const email = `crowd-${process.pid}-${index}@bench.shiftline.test`;
  await call('POST', '/auth/signup', undefined, { email, password: PASSWORD, name: `Crowd ${index}` });
  const confirmed = await call('POST', '/auth/confirm', undefined, { email, code });
  if (confirmed.status !== 204) throw new Error(`crowd member not confirmed: ${confirmed.status}`);
  const login = await call('POST', '/auth/login', undefined, { email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`crowd member not logged in: ${login.status}`);
  const body = login.body as { idToken: string; user: { id: string } };
  return { idToken: body.idToken, userId: body.user.id };
};

/** The full conversation and its 100 connections' tokens (sign-ups, logins): what the measure needs. */
export const crowdConversation = async (context: BenchContext, confirmationCode: string) => {
  const members = [];
  // One after the other: cognito-local rewrites its store on every sign-up and login.
  for (let index = 0; index < MAX_PARTICIPANTS - 1; index += 1)
    members.push(await staffMember(context, index, confirmationCode));
  const { recruiter } = context.sessions;
  const opened = await context.call('POST', '/conversations', recruiter.idToken, {
    participantIds: members.map((member) => member.userId),
    subject: 'Realtime bench, many users',
  });
  if (opened.status !== 201) throw new Error(`crowd conversation not opened: ${opened.status}`);
  const tokens = [recruiter.idToken, ...members.map((member) => member.idToken)];
  const receivers = Array.from(
    { length: CONNECTIONS },
    (_, index) => tokens[index % tokens.length] as string,
  );
  return {
    tokens: { sender: recruiter.idToken, receivers },
    conversationId: (opened.body as { id: string }).id,
  };
};

export const measureCrowdLatency = async (
  wsUrl: string,
  context: BenchContext,
  confirmationCode: string,
): Promise<LatencyFigure> => {
  const { tokens, conversationId } = await crowdConversation(context, confirmationCode);
  return measureLatency(wsUrl, context.api, tokens, conversationId);
};
