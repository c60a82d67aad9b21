/**
 * GraphQL on the twin: the playground's reads answer what REST answers; the single contract
 * request brings terms, acknowledgement, staff member, required credentials and next shifts in
 * one round trip; writes keep idempotency and expected versions; the access matrix through
 * GraphQL gives REST's answers; hostile documents are refused with 400.
 */
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessChromium } from './support/chromium.ts';
import { credentialOf, newStaffMember, type StaffMember } from './support/staff-members.ts';
import { api, loginAs, type Session, twin } from './support/twin.ts';

const DAY = new Date(Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 3000) * 86_400_000)
  .toISOString()
  .slice(0, 10);
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const content = (terms: string) => ({
  title: 'ICU nights, 13 weeks',
  terms,
  startDate: future(14),
  endDate: future(105),
  rate: { amountCents: 7200, currency: 'USD', per: 'hour' },
  requiredCredentialTypes: ['RN', 'BLS'],
});

interface GraphqlAnswer {
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely and assert on them.
  data?: any;
  errors?: {
    message: string;
    path?: unknown[];
    extensions: { type: string; status: number; requestId: string };
  }[];
}

const graphql = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
  const response = await api<GraphqlAnswer>('/graphql', {
    method: 'POST',
    token,
    body: { query, variables },
  });
  return { status: response.status, ...response.body };
};

// Map-valued fields are the JSON scalar: selected whole.
const JSON_FIELDS = new Set(['readBy', 'uploadHeaders']);
// Lists of objects that may be empty: an empty one still needs a selection.
const OBJECT_LISTS = new Set(['attachments', 'items']);

/** A selection set asking for exactly the fields a REST body has. */
const selectionOf = (value: unknown): string => {
  const objects = Array.isArray(value)
    ? value.filter((item) => item !== null && typeof item === 'object')
    : [value];
  const sample = Object.assign({}, ...objects.filter((item) => item !== null && typeof item === 'object'));
  const fields = Object.entries(sample as Record<string, unknown>).map(([key, inner]) =>
    JSON_FIELDS.has(key)
      ? key
      : `${key} ${selectionOf(inner) || (OBJECT_LISTS.has(key) ? '{ __typename }' : '')}`,
  );
  return fields.length === 0 ? '' : `{ ${fields.join(' ')} }`;
};

/**
 * The answer with only what REST sent: a list's items are asked for the union of their
 * fields, so an item REST sends without an optional field has it as null in GraphQL.
 */
const like = (answer: unknown, rest: unknown): unknown => {
  if (Array.isArray(rest) && Array.isArray(answer))
    return answer.map((item, index) => like(item, rest[index]));
  if (rest === null || typeof rest !== 'object' || answer === null || typeof answer !== 'object')
    return answer;
  const fields = answer as Record<string, unknown>;
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, like(fields[key], value)]));
};

let recruiter: Session;
let nurse: StaffMember;
let otherNurse: StaffMember;
let contractId: string;
let appointmentId: string;

beforeAll(async () => {
  recruiter = await loginAs('recruiter');
  [nurse, otherNurse] = await Promise.all([newStaffMember('gql-nurse'), newStaffMember('gql-other')]);
  await credentialOf(nurse, 'RN', { expiryDate: future(400) });
  await credentialOf(nurse, 'BLS');
  const drafted = await api('/contracts', {
    method: 'POST',
    token: recruiter.idToken,
    body: { staffId: nurse.staffId, ...content('Three 12-hour nights a week.') },
  });
  contractId = drafted.body.id;
  const offered = await api(`/contracts/${contractId}/offer`, { method: 'POST', token: recruiter.idToken });
  await api(`/contracts/${contractId}/acknowledge`, {
    method: 'POST',
    token: nurse.session.idToken,
    body: { version: offered.body.currentVersion, contentHash: offered.body.contentHash },
  });
  const booked = await api('/appointments', {
    method: 'POST',
    token: recruiter.idToken,
    body: {
      staffId: nurse.staffId,
      contractId,
      startAt: `${DAY}T07:00:00.000Z`,
      endAt: `${DAY}T19:00:00.000Z`,
    },
  });
  expect(booked.status, booked.text).toBe(201);
  appointmentId = booked.body.id;
});

describe('parity with REST', () => {
  const reads = () => [
    { rest: `/staff/${nurse.staffId}`, field: `staffProfile(id: "${nurse.staffId}")` },
    { rest: `/contracts/${contractId}`, field: `contract(id: "${contractId}")` },
    { rest: `/contracts?staffId=${nurse.staffId}`, field: `contracts(staffId: "${nurse.staffId}")` },
    { rest: `/staff/${nurse.staffId}/credentials`, field: `staffCredentials(id: "${nurse.staffId}")` },
    { rest: `/appointments/${appointmentId}`, field: `appointment(id: "${appointmentId}")` },
    { rest: `/contracts/${contractId}/versions`, field: `contractVersions(id: "${contractId}")` },
    { rest: '/me', field: 'me' },
  ];

  it('answers each playground read as REST does, for the staff member and a recruiter', async () => {
    for (const token of [nurse.session.idToken, recruiter.idToken]) {
      for (const { rest, field } of reads()) {
        const expected = await api(rest, { token });
        expect(expected.status, rest).toBe(200);
        // Cursors are bound to the caller and route, not to the API: both encode the same position.
        const { nextCursor: _cursor, ...body } = expected.body as Record<string, unknown>;

        const answer = await graphql(token, `{ answer: ${field} ${selectionOf(body)} }`);

        expect(answer.errors, `${field}: ${JSON.stringify(answer.errors)}`).toBeUndefined();
        expect(like(answer.data.answer, body)).toEqual(body);
        expect(Object.keys(answer.data.answer).sort()).toEqual(Object.keys(body).sort());
      }
    }
  });

  it('answers messages as REST does', async () => {
    const conversation = await api('/conversations', {
      method: 'POST',
      token: recruiter.idToken,
      body: { participantIds: [nurse.userId], subject: 'Parity' },
    });
    expect(conversation.status, conversation.text).toBe(201);
    const id = conversation.body.id as string;
    await api(`/conversations/${id}/messages`, {
      method: 'POST',
      token: recruiter.idToken,
      body: { body: 'Hello' },
    });
    const expected = await api(`/conversations/${id}/messages`, { token: nurse.session.idToken });

    const answer = await graphql(
      nurse.session.idToken,
      `{ messages(id: "${id}") { items ${selectionOf(expected.body.items)} } }`,
    );

    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(like(answer.data.messages.items, expected.body.items)).toEqual(expected.body.items);
  });
});

describe('the single contract request', () => {
  it('brings terms, acknowledgement, staff member, required credentials and next shifts in one request', async () => {
    const answer = await graphql(
      nurse.session.idToken,
      `query ($id: String!) { contract(id: $id) {
        title terms contentHash currentVersion status
        acknowledgement { version contentHash by }
        staff { id name email }
        requiredCredentials { type held credential { status expiryDate } }
        nextAppointments(limit: 3) { id startAt status }
      } }`,
      { id: contractId },
    );

    expect(answer.errors).toBeUndefined();
    const contract = answer.data.contract;
    expect(contract).toMatchObject({
      terms: 'Three 12-hour nights a week.',
      status: 'acknowledged',
      acknowledgement: {
        version: contract.currentVersion,
        contentHash: contract.contentHash,
        by: nurse.userId,
      },
      staff: { id: nurse.staffId, name: 'Staff gql-nurse' },
      nextAppointments: [{ id: appointmentId, startAt: `${DAY}T07:00:00.000Z`, status: 'scheduled' }],
    });
    expect(contract.requiredCredentials).toEqual([
      { type: 'BLS', held: true, credential: { status: 'active', expiryDate: null } },
      { type: 'RN', held: true, credential: { status: 'active', expiryDate: future(400) } },
    ]);
  });

  it('hides another staff member’s contract as not found (404)', async () => {
    const answer = await graphql(otherNurse.session.idToken, `{ contract(id: "${contractId}") { id } }`);

    expect(answer.status).toBe(200);
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      type: 'urn:shiftline:problem:not-found',
      status: 404,
    });
  });
});

describe('writes', () => {
  const create = `mutation ($input: CreateContractRequestInput!, $key: String) {
    createContract(input: $input, idempotencyKey: $key) { id version }
  }`;

  it('replays a create with the same idempotencyKey, as REST does with Idempotency-Key', async () => {
    const variables = {
      input: { staffId: otherNurse.staffId, ...content('Idempotent') },
      key: `gql-${DAY}-${Math.random()}`,
    };

    const first = await graphql(recruiter.idToken, create, variables);
    const again = await graphql(recruiter.idToken, create, variables);

    expect(first.errors).toBeUndefined();
    expect(again.data.createContract.id).toBe(first.data.createContract.id);
  });

  it('answers a stale expectedVersion with 412 and a missing one with 428', async () => {
    const revise = (version?: number) =>
      graphql(
        recruiter.idToken,
        `mutation ($input: ReviseContractRequestInput!, $v: Int) { reviseContract(id: "${contractId}", input: $input, expectedVersion: $v) { version } }`,
        { input: content('Stale'), v: version },
      );

    expect((await revise()).errors?.[0]?.extensions.status).toBe(428);
    expect((await revise(1)).errors?.[0]?.extensions.status).toBe(412);
  });
});

describe('access matrix through GraphQL', () => {
  type Caller = 'ownStaff' | 'otherStaff' | 'recruiter' | 'credentialing' | 'admin';
  const CALLERS: Caller[] = ['ownStaff', 'otherStaff', 'recruiter', 'credentialing', 'admin'];
  const tokenOf = async (caller: Caller) =>
    caller === 'ownStaff'
      ? nurse.session.idToken
      : caller === 'otherStaff'
        ? otherNurse.session.idToken
        : (await loginAs(caller)).idToken;

  const ABSENT = '00000000000000000000000000';
  const rows = (): {
    rest: { path: string; method?: string; body?: unknown; headers?: Record<string, string> };
    query: string;
  }[] => [
    { rest: { path: `/contracts/${contractId}` }, query: `{ contract(id: "${contractId}") { id } }` },
    {
      rest: { path: `/contracts/${contractId}/versions` },
      query: `{ contractVersions(id: "${contractId}") { nextCursor } }`,
    },
    { rest: { path: `/staff/${nurse.staffId}` }, query: `{ staffProfile(id: "${nurse.staffId}") { id } }` },
    {
      rest: { path: `/staff/${nurse.staffId}/credentials` },
      query: `{ staffCredentials(id: "${nurse.staffId}") { nextCursor } }`,
    },
    {
      rest: { path: `/appointments/${appointmentId}` },
      query: `{ appointment(id: "${appointmentId}") { id } }`,
    },
    { rest: { path: '/audit' }, query: '{ auditEntries { nextCursor } }' },
    {
      rest: { path: '/credentials?status=pending' },
      query: '{ credentialQueue(status: pending) { nextCursor } }',
    },
    { rest: { path: '/staff' }, query: '{ staffProfiles { nextCursor } }' },
    { rest: { path: '/users' }, query: '{ users { nextCursor } }' },
    { rest: { path: '/conversations' }, query: '{ conversations { nextCursor } }' },
    {
      rest: { path: `/audit/Contract/${contractId}` },
      query: `{ auditChain(entityType: Contract, entityId: "${contractId}") { nextCursor } }`,
    },
    // Writes are tried on an absent id, so the matrix changes nothing: 404 after the role check.
    ...[
      ['/contracts/{id}/withdraw', 'withdrawContract(id: $id)'],
      ['/contracts/{id}/offer', 'offerContract(id: $id)'],
      ['/appointments/{id}/confirm', 'confirmAppointment(id: $id)'],
      ['/appointments/{id}/complete', 'completeAppointment(id: $id)'],
    ].map(([path = '', field]) => ({
      rest: { path: path.replace('{id}', ABSENT), method: 'POST' },
      query: `mutation ($id: String! = "${ABSENT}") { ${field} { id } }`,
    })),
    {
      rest: { path: `/credentials/${ABSENT}/verify`, method: 'POST', body: { method: 'primary-source' } },
      query: `mutation { verifyCredential(id: "${ABSENT}", input: { method: "primary-source" }) { id } }`,
    },
    {
      rest: {
        path: `/staff/${ABSENT}`,
        method: 'PATCH',
        body: { name: 'N' },
        headers: { 'if-match': '"1"' },
      },
      query: `mutation { updateStaffProfile(id: "${ABSENT}", input: { name: "N" }, expectedVersion: 1) { id } }`,
    },
  ];

  it('gives the answer REST gives, for every row and caller', async () => {
    for (const caller of CALLERS) {
      const token = await tokenOf(caller);
      for (const row of rows()) {
        const { path, ...request } = row.rest;
        const rest = await api(path, { ...request, token });
        const answer = await graphql(token, row.query);
        const status = answer.errors?.[0]?.extensions.status ?? 200;
        expect(status, `${caller} ${row.query}: ${JSON.stringify(answer.errors)}`).toBe(rest.status);
      }
    }
  });
});

describe('hostile documents', () => {
  it.each([
    ['depth 11', `{ ${'me { '.repeat(10)}id${' }'.repeat(10)} }`],
    ['31 aliases', `{ ${Array.from({ length: 31 }, (_, n) => `a${n}: me { id }`).join(' ')} }`],
    ['a parse error', '{ me { id '],
  ])('%s: 400 before execution', async (_name, query) => {
    const answer = await graphql(recruiter.idToken, query);

    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ status: 400 });
  });

  it('refuses a batch of 11 operations with 400', async () => {
    const batch = Array.from({ length: 11 }, () => ({ query: '{ me { id } }' }));

    const response = await api('/graphql', { method: 'POST', token: recruiter.idToken, body: batch });

    expect(response.status).toBe(400);
  });

  it("ends with the session: a logged-out token gets REST's 401, not data", async () => {
    const member = await newStaffMember('gql-logout');
    const logout = await api('/auth/logout', {
      method: 'POST',
      token: member.session.accessToken,
      body: { refreshToken: member.session.refreshToken },
    });

    const answer = await api('/graphql', {
      method: 'POST',
      token: member.session.idToken,
      body: { query: '{ me { id } }' },
    });

    expect(logout.status).toBe(204);
    expect(answer.status).toBe(401);
    expect(answer.body.type).toBe('urn:shiftline:problem:session-revoked');
  });

  it("answers GraphiQL's own introspection query in the twin (15 levels of ofType)", async () => {
    const response = await api('/graphql', {
      method: 'POST',
      token: recruiter.idToken,
      body: { query: getIntrospectionQuery() },
    });

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.__schema.queryType).toMatchObject({ name: 'Query' });
  });

  it('answers a batch of 2 in order, and introspection in the twin', async () => {
    const batch = [{ query: '{ me { id } }' }, { query: '{ __schema { queryType { name } } }' }];

    const response = await api('/graphql', { method: 'POST', token: recruiter.idToken, body: batch });

    expect(response.status).toBe(200);
    expect(response.body[1]).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});

describe('GraphiQL', () => {
  it('serves the playground and its files from the service itself, linked from /docs', async () => {
    const page = await api('/graphql');
    const docs = await api('/docs');

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).not.toMatch(/src="https?:/);
    for (const file of [
      'graphiql.min.js',
      'graphiql.min.css',
      'react.production.min.js',
      'react-dom.production.min.js',
    ]) {
      expect(page.text).toContain(`/graphql/${file}`);
      const asset = await api(`/graphql/${file}`);
      expect(asset.status, file).toBe(200);
    }
    expect(docs.text).toContain('href="/graphql"');
  });
});

describe('GraphiQL in a browser', () => {
  const browser = headlessChromium();
  afterAll(browser.close);

  it('renders the editor from the served files', async () => {
    const { stdout: dom } = await browser.chromium('--dump-dom', `${twin().urls.api}/graphql`);

    expect(dom).toContain('graphiql-container');
  });
});
