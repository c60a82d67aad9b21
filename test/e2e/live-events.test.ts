/**
 * Live events for staff, through @shiftline/client: a contract transition, a credential
 * decision and an appointment reach the staff member's open WebSocket clients as
 * contract.updated, credential.updated and appointment.updated — and never another staff
 * member's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameOf, ShiftlineClient } from '../../packages/client/src/index.ts';
import { clientAs, clientOf, type LiveSocket, openLive } from './support/clients.ts';
import { credentialOf, newStaffMember, type StaffMember } from './support/staff-members.ts';

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let recruiter: ShiftlineClient;
let nurse: StaffMember;
let bystander: StaffMember;
let nurseTab: LiveSocket;
let bystanderTab: LiveSocket;

beforeAll(async () => {
  recruiter = await clientAs('recruiter');
  [nurse, bystander] = await Promise.all([newStaffMember('live-nurse'), newStaffMember('live-bystander')]);
  [nurseTab, bystanderTab] = await Promise.all([
    openLive(clientOf(nurse.session)),
    openLive(clientOf(bystander.session)),
  ]);
});

afterAll(() => {
  nurseTab.close();
  bystanderTab.close();
});

/**
 * Proves the bystander got none of the nurse's frames: the stream is delivered in order, so once
 * the bystander's own later event has arrived, anything meant for them before it has too.
 */
const expectBystanderSawNothingOf = async (ids: string[]) => {
  const own = await credentialOf(bystander, 'BLS', { pending: true });
  await bystanderTab.next((frame) => frame.type === 'credential.updated' && frame.credentialId === own);
  const leaked = bystanderTab.frames.filter((frame) => ids.some((id) => JSON.stringify(frame).includes(id)));
  expect(leaked).toEqual([]);
};

describe('live events reach only the staff member they are about', () => {
  it('pushes contract.updated on a transition', async () => {
    const created = await recruiter.api.POST('/contracts', {
      body: {
        staffId: nurse.staffId,
        title: 'Med-surg days, 8 weeks',
        terms: 'Four 10-hour days a week.',
        startDate: future(20),
        endDate: future(76),
        requiredCredentialTypes: [],
      },
    });
    expect(created.response.status).toBe(201);
    const contractId = created.data?.id ?? '';
    const offer = await recruiter.api.POST('/contracts/{id}/offer', { params: { path: { id: contractId } } });
    expect(offer.response.status).toBe(200);

    const offered = await nurseTab.next<FrameOf<'contract.updated'>>(
      (frame) =>
        frame.type === 'contract.updated' && frame.contractId === contractId && frame.status === 'offered',
    );
    expect(offered).toEqual({ type: 'contract.updated', contractId, status: 'offered', currentVersion: 1 });
    await expectBystanderSawNothingOf([contractId]);
  });

  it('pushes credential.updated when credentialing verifies', async () => {
    const credentialId = await credentialOf(nurse, 'ACLS', { expiryDate: future(300) });
    const verified = await nurseTab.next<FrameOf<'credential.updated'>>(
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
    const booked = await recruiter.api.POST('/appointments', {
      body: { staffId: nurse.staffId, startAt: `${day}T07:00:00.000Z`, endAt: `${day}T19:00:00.000Z` },
    });
    expect(booked.response.status).toBe(201);
    const appointmentId = booked.data?.id ?? '';
    const frame = await nurseTab.next<FrameOf<'appointment.updated'>>(
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
