/**
 * The access matrix through GraphQL, generated from the route table: every query and mutation
 * × every role × the staff member who owns the items and one who does not gives the answer REST
 * gives for the same call. REST and GraphQL each act on a copy of the same fixtures, made alike
 * and called in the same order, so writes that succeed (and the states they leave) line up too.
 */

import type { GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  graphqlOf,
  type MatrixCall,
  type MatrixFixtures,
  matrixCalls,
  restOf,
  servedSchema,
} from './support/graphql-matrix.ts';
import { credentialOf, newStaffMember, type StaffMember } from './support/staff-members.ts';
import { api, loginAs, type Session, uniqueEmail } from './support/twin.ts';

const CALLERS = ['ownStaff', 'otherStaff', 'recruiter', 'credentialing', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

const DAY = new Date(Date.UTC(2032, 0, 1) + Math.floor(Math.random() * 3000) * 86_400_000)
  .toISOString()
  .slice(0, 10);
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

interface Copy {
  owner: StaffMember;
  fixtures: MatrixFixtures;
}

let sessions: Record<'recruiter' | 'credentialing' | 'admin', Session>;
let otherStaff: StaffMember;
let schema: GraphQLSchema;

const created = async (path: string, token: string, body: unknown): Promise<string> => {
  const response = await api(path, { method: 'POST', token, body });
  expect(response.status, `${path}: ${response.text}`).toBe(201);
  return response.body.id;
};

/** A staff member with a pending credential, a contract, a shift under it and a conversation. */
const makeCopy = async (label: string): Promise<Copy> => {
  const owner = await newStaffMember(`matrix-${label}`);
  const recruiter = sessions.recruiter.idToken;
  const credentialId = await credentialOf(owner, 'RN', { pending: true });
  const contractId = await created('/contracts', recruiter, {
    staffId: owner.staffId,
    title: 'Matrix nights',
    terms: 'Three 12-hour nights a week.',
    startDate: future(14),
    endDate: future(105),
    requiredCredentialTypes: ['RN'],
  });
  const appointmentId = await created('/appointments', recruiter, {
    staffId: owner.staffId,
    contractId,
    startAt: `${DAY}T07:00:00.000Z`,
    endAt: `${DAY}T19:00:00.000Z`,
  });
  const conversationId = await created('/conversations', recruiter, {
    participantIds: [owner.userId],
    subject: 'Matrix',
  });
  const targetUserId = await created('/users', sessions.admin.idToken, {
    email: uniqueEmail(`matrix-target-${label}`),
    name: 'Matrix target',
    roles: ['recruiter'],
  });
  const fixtures = {
    staffId: owner.staffId,
    ownerUserId: owner.userId,
    credentialId,
    contractId,
    appointmentId,
    conversationId,
    targetUserId,
  };
  return { owner, fixtures };
};

const tokenOf = (caller: Caller, copy: Copy): string =>
  caller === 'ownStaff'
    ? copy.owner.session.idToken
    : caller === 'otherStaff'
      ? otherStaff.session.idToken
      : sessions[caller].idToken;

/** If-Match routes act on the version the item has now (read as the admin), as a client would. */
const versionFor = async (call: MatrixCall): Promise<number | undefined> => {
  if (!call.route.request?.ifMatch) return undefined;
  const item = await api(restOf(call).path, { token: sessions.admin.idToken });
  return item.body.version;
};

/** 2xx is "ok" (GraphQL has no 201/204); otherwise the problem's status and type. */
const restOutcome = async (call: MatrixCall, token: string): Promise<string> => {
  const { path, ...request } = restOf(call, await versionFor(call));
  const response = await api(path, { ...request, token });
  return response.status < 300 ? 'ok' : `${response.status} ${response.body?.type}`;
};

const graphqlOutcome = async (call: MatrixCall, token: string): Promise<string> => {
  const response = await api('/graphql', {
    method: 'POST',
    token,
    body: graphqlOf(schema, call, await versionFor(call)),
  });
  if (response.status !== 200) return `HTTP ${response.status}: ${response.text}`;
  const error = response.body.errors?.[0];
  return error === undefined ? 'ok' : `${error.extensions.status} ${error.extensions.type}`;
};

beforeAll(async () => {
  sessions = {
    recruiter: await loginAs('recruiter'),
    credentialing: await loginAs('credentialing'),
    admin: await loginAs('admin'),
  };
  otherStaff = await newStaffMember('matrix-other');
  schema = await servedSchema(sessions.admin.idToken);
});

describe('access matrix through GraphQL, from the route table', () => {
  it('answers every field, for every role and owner or not, as REST answers the same call', {
    timeout: 300_000,
  }, async () => {
    // Prepare: REST acts on one copy, GraphQL on the other.
    const [restCopy, graphqlCopy] = await Promise.all([makeCopy('rest'), makeCopy('graphql')]);
    const restCalls = matrixCalls(restCopy.fixtures, 'rest');
    const graphqlCalls = matrixCalls(graphqlCopy.fixtures, 'graphql');

    // Act: row by row, each caller in turn, REST then GraphQL.
    const mismatches: string[] = [];
    const outcomes: string[] = [];
    for (const [index, restCall] of restCalls.entries()) {
      const graphqlCall = graphqlCalls[index] as MatrixCall;
      for (const caller of CALLERS) {
        const rest = await restOutcome(restCall, tokenOf(caller, restCopy));
        const graphql = await graphqlOutcome(graphqlCall, tokenOf(caller, graphqlCopy));
        outcomes.push(rest);
        if (rest !== graphql)
          mismatches.push(`${restCall.route.operationId} as ${caller}: REST ${rest}, GraphQL ${graphql}`);
      }
    }

    // Assess: the same answers, and a matrix that exercised allow, deny and hide.
    expect(mismatches).toEqual([]);
    expect(restCalls.length).toBeGreaterThan(50);
    const kinds = new Set(outcomes.map((outcome) => outcome.split(' ')[0]));
    for (const kind of ['ok', '403', '404']) expect(kinds, kind).toContain(kind);
  });
});
