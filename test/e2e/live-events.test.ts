/**
 * Live events for staff: a contract transition, a credential decision and an appointment reach
 * the staff member's open WebSocket clients as contract.updated, credential.updated and
 * appointment.updated — and never another staff member's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialOf, newStaffMember, type StaffMember } from './support/staff-members.ts';
import { api, loginAs, openWs, type Session, type WsClient } from './support/twin.ts';

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

interface Frame {
  type: string;
  [field: string]: unknown;
}

let recruiter: Session;
let nurse: StaffMember;
let bystander: StaffMember;
let nurseTab: WsClient;
let bystanderTab: WsClient;

beforeAll(async () => {
  recruiter = await loginAs('recruiter');
  [nurse, bystander] = await Promise.all([newStaffMember('live-nurse'), newStaffMember('live-bystander')]);
  [nurseTab, bystanderTab] = await Promise.all([
    openWs(nurse.session.idToken),
    openWs(bystander.session.idToken),
  ]);
});

afterAll(async () => {
  await Promise.all([nurseTab.close(), bystanderTab.close()]);
});

/**
 * Proves the bystander got none of the nurse's frames: the stream is delivered in order, so once
 * the bystander's own later event has arrived, anything meant for them before it has too.
 */
const expectBystanderSawNothingOf = async (ids: string[]) => {
  const own = await credentialOf(bystander, 'BLS', { pending: true });
  await bystanderTab.next<Frame>(
    (frame) => frame.type === 'credential.updated' && frame.credentialId === own,
  );
  const leaked = bystanderTab.frames.filter((frame) => ids.some((id) => JSON.stringify(frame).includes(id)));
  expect(leaked).toEqual([]);
};

describe('live events reach only the staff member they are about', () => {
  it('pushes contract.updated on a transition', async () => {
    const created = await api('/contracts', {
      method: 'POST',
      token: recruiter.idToken,
      body: {
        staffId: nurse.staffId,
        title: 'Med-surg days, 8 weeks',
        terms: 'Four 10-hour days a week.',
        startDate: future(20),
        endDate: future(76),
        requiredCredentialTypes: [],
      },
    });
    expect(created.status).toBe(201);
    const contractId: string = created.body.id;
    expect(
      (await api(`/contracts/${contractId}/offer`, { method: 'POST', token: recruiter.idToken })).status,
    ).toBe(200);

    const offered = await nurseTab.next<Frame>(
      (frame) =>
        frame.type === 'contract.updated' && frame.contractId === contractId && frame.status === 'offered',
    );
    expect(offered).toEqual({ type: 'contract.updated', contractId, status: 'offered', currentVersion: 1 });
    await expectBystanderSawNothingOf([contractId]);
  });

  it('pushes credential.updated when credentialing verifies', async () => {
    const credentialId = await credentialOf(nurse, 'ACLS', { expiryDate: future(300) });
    const verified = await nurseTab.next<Frame>(
      (frame) =>
        frame.type === 'credential.updated' &&
        frame.credentialId === credentialId &&
        frame.status === 'active',
    );
    expect(verified).toMatchObject({ staffId: nurse.staffId, status: 'active', expiryWarning: null });
    await expectBystanderSawNothingOf([credentialId]);
  });

  it('pushes appointment.updated when a shift is booked', async () => {
    const day = future(200 + Math.floor(Math.random() * 300));
    const booked = await api('/appointments', {
      method: 'POST',
      token: recruiter.idToken,
      body: { staffId: nurse.staffId, startAt: `${day}T07:00:00.000Z`, endAt: `${day}T19:00:00.000Z` },
    });
    expect(booked.status).toBe(201);
    const appointmentId: string = booked.body.id;
    const frame = await nurseTab.next<Frame>(
      (candidate) => candidate.type === 'appointment.updated' && candidate.appointmentId === appointmentId,
    );
    expect(frame).toMatchObject({
      staffId: nurse.staffId,
      status: 'scheduled',
      startAt: `${day}T07:00:00.000Z`,
    });
    await expectBystanderSawNothingOf([appointmentId]);
  });
});
