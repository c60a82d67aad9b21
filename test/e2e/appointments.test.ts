/**
 * Appointments on the twin: book → edit with If-Match → confirm → cancel frees the time →
 * complete once started; 20 concurrent overlapping bookings; lists by time range; the access
 * matrix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type MatrixRow, matrixCases } from './support/access-matrix.ts';
import { newStaffMember, type StaffMember } from './support/staff-members.ts';
import { api, loginAs, type Session } from './support/twin.ts';

// Each run books its own far-future day, so reruns against one twin never collide.
const DAY = new Date(Date.UTC(2030, 0, 1) + Math.floor(Math.random() * 3000) * 86_400_000)
  .toISOString()
  .slice(0, 10);
const at = (time: string, day = DAY) => `${day}T${time}:00.000Z`;

let recruiter: Session;
let nurse: StaffMember;
let otherNurse: StaffMember;

beforeAll(async () => {
  recruiter = await loginAs('recruiter');
  [nurse, otherNurse] = await Promise.all([newStaffMember('appt-nurse'), newStaffMember('appt-other')]);
});

const book = (member: StaffMember, startAt: string, endAt: string, extra: Record<string, unknown> = {}) =>
  api('/appointments', {
    method: 'POST',
    token: recruiter.idToken,
    body: { staffId: member.staffId, startAt, endAt, ...extra },
  });

const post = (path: string, token: string, body?: unknown) => api(path, { method: 'POST', token, body });

describe('an appointment from booking to cancellation', () => {
  it('books, edits with If-Match, is confirmed by the staff member, and frees its time when cancelled', async () => {
    const booked = await book(nurse, at('07:00'), at('19:00'), { location: 'Ward 3', notes: 'Bring badge' });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: 'scheduled', version: 1, staffId: nurse.staffId });
    const path = `/appointments/${booked.body.id}`;

    expect((await book(nurse, at('18:45'), at('20:00'))).status).toBe(409);
    expect((await book(nurse, at('19:00'), at('20:00'))).status).toBe(201);
    expect((await book(nurse, at('10:00'), at('09:00'))).status).toBe(400);

    const patch = (body: unknown, ifMatch?: string) =>
      api(path, {
        method: 'PATCH',
        token: recruiter.idToken,
        body,
        headers: ifMatch ? { 'if-match': ifMatch } : {},
      });
    expect((await patch({ location: 'Ward 4' })).status).toBe(428);
    expect((await patch({ location: 'Ward 4' }, 'W/"1"')).status).toBe(412);
    const edited = await patch({ location: 'Ward 4', notes: null }, '"1"');
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).toBe('"2"');
    expect(edited.body.notes).toBeUndefined();
    expect((await patch({ location: 'Ward 5' }, '"1"')).status).toBe(412);

    const confirmed = await post(`${path}/confirm`, nurse.session.idToken);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', version: 3 });
    expect((await post(`${path}/confirm`, nurse.session.idToken)).status).toBe(409);

    const moved = await patch({ startAt: at('06:00'), endAt: at('18:00') }, '"3"');
    expect(moved.body).toMatchObject({ status: 'scheduled', startAt: at('06:00') });

    const cancelled = await post(`${path}/cancel`, nurse.session.idToken, { reason: 'Family emergency' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect((await book(nurse, at('08:00'), at('12:00'))).status).toBe(201);

    const listed = await api(`/appointments?from=${at('00:00')}&to=${at('23:45')}`, {
      token: nurse.session.idToken,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { startAt: string }) => item.startAt)).toEqual([
      at('06:00'),
      at('08:00'),
      at('19:00'),
    ]);
    const live = await api(`/appointments?staffId=${nurse.staffId}&status=cancelled&from=${at('00:00')}`, {
      token: recruiter.idToken,
    });
    expect(live.body.items.map((item: { id: string }) => item.id)).toEqual([booked.body.id]);
  });

  it('is completed or marked no-show only once it has started', async () => {
    const past = await book(nurse, at('08:00', '2026-01-05'), at('16:00', '2026-01-05'));
    const future = await book(nurse, at('20:00'), at('22:00'));
    expect((await post(`/appointments/${future.body.id}/complete`, recruiter.idToken)).status).toBe(422);
    const completed = await post(`/appointments/${past.body.id}/complete`, recruiter.idToken);
    expect(completed.body).toMatchObject({ status: 'completed' });
  });
});

describe('concurrent booking', () => {
  it('lets exactly one of 20 concurrent overlapping bookings succeed', async () => {
    const member = await newStaffMember('appt-race');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => book(member, at(`1${index % 4}:00`), at('15:00'))),
    );
    expect(results.filter((result) => result.status === 201)).toHaveLength(1);
    expect(results.filter((result) => result.status === 409)).toHaveLength(19);
  });
});

/** Each row: the route, then staff on their own appointment, staff on another's, recruiter, credentialing, admin. */
const MATRIX: MatrixRow[] = [
  ['POST /appointments', 403, 403, 'ok', 403, 'ok'],
  ['GET /appointments?staffId=', 'ok', 404, 'ok', 'ok', 'ok'],
  ['GET /appointments/{id}', 'ok', 404, 'ok', 'ok', 'ok'],
  ['PATCH /appointments/{id}', 403, 403, 'ok', 403, 'ok'],
  ['POST /appointments/{id}/confirm', 'ok', 404, 403, 403, 403],
  ['POST /appointments/{id}/cancel', 'ok', 404, 'ok', 403, 'ok'],
  ['POST /appointments/{id}/complete', 403, 403, 'ok', 403, 'ok'],
  ['POST /appointments/{id}/no-show', 403, 403, 'ok', 403, 'ok'],
];

const cases = matrixCases(MATRIX);

describe('access matrix', () => {
  const MATRIX_DAY = '2029-12-31';
  let appointments: { own: string; other: string };
  let slot = 0;
  beforeAll(async () => {
    const own = await book(nurse, at('01:00', MATRIX_DAY), at('02:00', MATRIX_DAY));
    const other = await book(otherNurse, at('01:00', MATRIX_DAY), at('02:00', MATRIX_DAY));
    appointments = { own: own.body.id, other: other.body.id };
  });

  it.each(cases)('$route by $role ($variant) → $expected', async ({ route, role, variant, expected }) => {
    const token = role === 'staff' ? nurse.session.idToken : (await loginAs(role)).idToken;
    const owner = variant === 'own' ? nurse : otherNurse;
    const id = variant === 'own' ? appointments.own : appointments.other;
    const [method = 'GET', template = ''] = route.split(' ');
    const path = template.replace('{id}', id).replace('staffId=', `staffId=${owner.staffId}`);
    slot += 1;
    const start = `${MATRIX_DAY}T${String(3 + (slot % 20)).padStart(2, '0')}:00:00.000Z`;
    const end = `${MATRIX_DAY}T${String(3 + (slot % 20)).padStart(2, '0')}:15:00.000Z`;
    const body =
      path === '/appointments'
        ? { staffId: owner.staffId, startAt: start, endAt: end }
        : method === 'PATCH'
          ? { location: 'Matrix' }
          : path.endsWith('/cancel')
            ? { reason: 'Matrix' }
            : undefined;
    const headers: Record<string, string> = method === 'PATCH' ? { 'if-match': '"999"' } : {};
    const response = await api(path, { method, token, body, headers });
    if (expected === 'ok') {
      expect(response.status, response.text).toBeLessThan(500);
      expect([403, 404]).not.toContain(response.status);
    } else {
      expect(response.status, response.text).toBe(expected);
    }
  });
});
