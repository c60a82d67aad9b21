/**
 * Fresh users of the test's own: invited by the admin (a staff invitation gives them a profile),
 * logged in through the NEW_PASSWORD_REQUIRED challenge, with their staff profile id.
 */
import { expect } from 'vitest';
import { api, loginAs, type Session, twin, uniqueEmail } from './twin.ts';

/** The password every invited test user sets at their first sign-in. */
export const PASSWORD = 'Staff-Member-42!';

export interface StaffMember {
  session: Session;
  staffId: string;
  userId: string;
}

export interface InvitedUser extends StaffMember {
  email: string;
}

/** A user the admin invites with these roles, signed in with a password of their own. */
export const invitedUser = async (roles: string[], label: string): Promise<InvitedUser> => {
  const admin = await loginAs('admin');
  const email = uniqueEmail(label);
  const invite = await api('/users', {
    method: 'POST',
    token: admin.idToken,
    body: { email, name: `Staff ${label}`, roles },
  });
  expect(invite.status, invite.text).toBe(201);
  const challenge = await api('/auth/login', {
    method: 'POST',
    body: { email, password: twin().confirmationCode },
  });
  const tokens = await api<Session>('/auth/new-password', {
    method: 'POST',
    body: { email, session: challenge.body.session, newPassword: PASSWORD },
  });
  expect(tokens.status, tokens.text).toBe(200);
  // A staff invitation creates the profile; /me names it.
  const me = await api('/me', { token: tokens.body.idToken });
  return { email, session: tokens.body, staffId: me.body.staffProfileId, userId: invite.body.id };
};

export const newStaffMember = async (label: string): Promise<StaffMember> => {
  const { email: _email, ...member } = await invitedUser(['staff'], label);
  expect(member.staffId).toEqual(expect.any(String));
  return member;
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
