/**
 * One example per WebSocket action and frame, keyed by action or frame type: the AsyncAPI
 * document shows them and a test parses each with its schema, so they cannot drift.
 */
const CONVERSATION = '01JF3ZQ8W2V5K9T4R6M1N7P0XA';
const MESSAGE = '01JF3ZR2C4D6E8G0H2J4K6M8NB';
const RECRUITER = '5f0c2a7e-3b1d-4c8e-9a6f-2d4b8e1c7a90';
const STAFF_USER = '9b2e4d6f-1a3c-4e5f-8a7b-0c1d2e3f4a5b';
const STAFF = '01JF3ZS4P6Q8R0S2T4V6W8X0YC';

export const FRAME_EXAMPLES: Readonly<Record<string, unknown>> = {
  sendMessage: {
    action: 'sendMessage',
    conversationId: CONVERSATION,
    body: 'Can you cover Friday night?',
    clientMessageId: 'tab1-0001',
  },
  markRead: { action: 'markRead', conversationId: CONVERSATION, upToMessageId: MESSAGE },
  ping: { action: 'ping' },
  ack: { type: 'ack', clientMessageId: 'tab1-0001', messageId: MESSAGE },
  error: {
    type: 'error',
    clientMessageId: 'tab1-0001',
    problem: {
      type: 'urn:shiftline:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No conversation 01JF3ZQ8W2V5K9T4R6M1N7P0XA',
      requestId: 'L3f9c2a1b4d5e6f7',
    },
  },
  pong: { type: 'pong' },
  'session.revoked': { type: 'session.revoked', reason: 'logout' },
  'message.created': {
    type: 'message.created',
    conversationId: CONVERSATION,
    message: {
      id: MESSAGE,
      conversationId: CONVERSATION,
      senderId: RECRUITER,
      body: 'Can you cover Friday night?',
      clientMessageId: 'tab1-0001',
      attachments: [],
      sentAt: '2026-03-02T18:04:05.120Z',
      readBy: {},
    },
  },
  'message.read': {
    type: 'message.read',
    conversationId: CONVERSATION,
    userId: STAFF_USER,
    upToMessageId: MESSAGE,
    readAt: '2026-03-02T18:06:11.004Z',
  },
  'contract.updated': {
    type: 'contract.updated',
    contractId: '01JF3ZT6A8B0C2D4E6F8G0H2JD',
    status: 'offered',
    currentVersion: 2,
  },
  'credential.updated': {
    type: 'credential.updated',
    credentialId: '01JF3ZV8K0M2N4P6Q8R0S2T4VE',
    staffId: STAFF,
    status: 'active',
    expiryWarning: 30,
  },
  'appointment.updated': {
    type: 'appointment.updated',
    appointmentId: '01JF3ZW0X2Y4Z6A8B0C2D4E6FG',
    staffId: STAFF,
    status: 'confirmed',
    startAt: '2026-03-06T19:00:00.000Z',
  },
  'staff.flagged': {
    type: 'staff.flagged',
    staffId: STAFF,
    flagId: '01JF3ZX2B4C6D8E0F2G4H6J8KM',
    source: 'leie',
    result: 'match',
    raisedAt: '2026-03-02T07:00:04.210Z',
  },
  'webhook.endpoint.disabled': {
    type: 'webhook.endpoint.disabled',
    endpointId: '01JF3ZY4D6E8F0G2H4J6K8M0NP',
    url: 'https://ats.example.com/hooks/shiftline',
    disabledReason: 'every attempt failed for 5 days',
    failingSince: '2026-02-25T09:00:00.000Z',
    disabledAt: '2026-03-02T09:00:12.000Z',
  },
};
