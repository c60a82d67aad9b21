/**
 * A fresh staff member of the test's own: invited by the admin (which gives them a profile),
 * logged in through the NEW_PASSWORD_REQUIRED challenge, with their staff profile id.
 */
import { expect } from 'vitest';
import { api, loginAs, type Session, twin, uniqueEmail } from './twin.ts';

const PASSWORD = 'Staff-Member-42!';

export interface StaffMember {
  session: Session;
  staffId: string;
  userId: string;
}

export const newStaffMember = async (label: string): Promise<StaffMember> => {
  const admin = await loginAs('admin');
  const email = uniqueEmail(label);
  const invite = await api('/users', {
    method: 'POST',
    token: admin.idToken,
    body: { email, name: `Staff ${label}`, roles: ['staff'] },
  });
  expect(invite.status).toBe(201);
  const challenge = await api('/auth/login', {
    method: 'POST',
    body: { email, password: twin().confirmationCode },
  });
  const tokens = await api<Session>('/auth/new-password', {
    method: 'POST',
    body: { email, session: challenge.body.session, newPassword: PASSWORD },
  });
  expect(tokens.status).toBe(200);
  // A staff invitation creates the profile; /me names it.
  const me = await api('/me', { token: tokens.body.idToken });
  expect(me.body.staffProfileId).toEqual(expect.any(String));
  return { session: tokens.body, staffId: me.body.staffProfileId, userId: invite.body.id };
};

/** A credential of the staff member, verified by credentialing unless `pending` is asked for. */
export const credentialOf = async (
  member: StaffMember,
  type: string,
  options: { expiryDate?: string; pending?: boolean } = {},
): Promise<string> => {
  const created = await api(`/staff/${member.staffId}/credentials`, {
    method: 'POST',
    token: member.session.idToken,
    body: { type, ...(options.expiryDate ? { expiryDate: options.expiryDate } : {}) },
  });
  expect(created.status).toBe(201);
  if (!options.pending) {
    const credentialing = await loginAs('credentialing');
    const verified = await api(`/credentials/${created.body.id}/verify`, {
      method: 'POST',
      token: credentialing.idToken,
      body: { method: 'primary-source' },
    });
    expect(verified.status).toBe(200);
  }
  return created.body.id;
};
