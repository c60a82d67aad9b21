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

/** Until invitations create profiles (and /me names them), the recruiter creates one. */
const profileFor = async (userId: string, label: string): Promise<string> => {
  const recruiter = await loginAs('recruiter');
  const created = await api('/staff', {
    method: 'POST',
    token: recruiter.idToken,
    body: { userId, name: `Staff ${label}` },
  });
  expect(created.status, created.text).toBe(201);
  return created.body.id;
};

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
  const me = await api('/me', { token: tokens.body.idToken });
  return {
    session: tokens.body,
    staffId: me.body.staffProfileId ?? (await profileFor(invite.body.id, label)),
    userId: invite.body.id,
  };
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
