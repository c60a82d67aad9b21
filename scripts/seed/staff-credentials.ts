/**
 * Demo staff profiles and credentials, written through the services as the demo users would:
 * the demo staff member gets a profile and a credential in every status; a few more staff are
 * invited (which creates their profiles) with credentials of their own, some expiring within
 * 30 days. The expiry sweep then runs once, as the daily schedule would. Idempotent: a profile
 * that already has credentials, and a staff member already invited, are left as they are.
 */
import { accessEventRepository } from '#data/access-events.ts';
import { cognitoIdentity } from '#data/cognito-identity.ts';
import { staffProfileRepository } from '#data/staff.ts';
import type { ServiceContext } from '#domain/context.ts';
import { addDays, dayOf } from '#domain/credentials/days.ts';
import { Conflict } from '#domain/errors.ts';
import { createUsersService } from '#domain/identity/users-service.ts';
import { createStaffProfileProvisioner, createStaffService } from '#domain/staff/service.ts';
import { credentialService as credentials, expirySweep as sweep } from '#shared/services/credentials.ts';
import type { DemoContext, DemoSeeder } from '../seed.ts';

const staff = createStaffService({
  profiles: staffProfileRepository,
  users: cognitoIdentity,
  accessEvents: accessEventRepository,
});
const users = createUsersService({
  identity: cognitoIdentity,
  accessEvents: accessEventRepository,
  profiles: createStaffProfileProvisioner({ profiles: staffProfileRepository }),
});

type Outcome = 'pending' | 'active' | 'rejected' | 'revoked' | 'expired';
interface DemoCredential {
  type: string;
  issuedBy: string;
  /** Days from today; negative is already past. */
  expiresIn: number;
  outcome: Outcome;
}

const DEMO_STAFF_CREDENTIALS: readonly DemoCredential[] = [
  { type: 'RN', issuedBy: 'Texas Board of Nursing', expiresIn: 20, outcome: 'active' },
  { type: 'BLS', issuedBy: 'American Heart Association', expiresIn: 240, outcome: 'active' },
  { type: 'ACLS', issuedBy: 'American Heart Association', expiresIn: 700, outcome: 'pending' },
  { type: 'PALS', issuedBy: 'American Heart Association', expiresIn: 500, outcome: 'rejected' },
  { type: 'TNCC', issuedBy: 'Emergency Nurses Association', expiresIn: 300, outcome: 'revoked' },
  { type: 'NIHSS', issuedBy: 'American Stroke Association', expiresIn: -3, outcome: 'expired' },
];

const MORE_STAFF = [
  { email: 'nina.okafor@shiftline.test', name: 'Nina Okafor', specialty: 'ICU', expiresIn: [6, 45] },
  { email: 'leo.martins@shiftline.test', name: 'Leo Martins', specialty: 'Emergency', expiresIn: [28, 400] },
  {
    email: 'priya.raman@shiftline.test',
    name: 'Priya Raman',
    specialty: 'Anesthesiology',
    expiresIn: [85, 12],
  },
] as const;

const addCredential = async (demo: DemoContext, staffId: string, credential: DemoCredential) => {
  const today = dayOf(demo.now);
  const expiryDate = addDays(today, credential.expiresIn);
  const created = await credentials.create(demo.as('recruiter'), staffId, {
    type: credential.type,
    issuedBy: credential.issuedBy,
    issueDate: addDays(expiryDate, -730),
    expiryDate,
  });
  if (credential.outcome === 'pending') return;
  if (credential.outcome === 'rejected') {
    await credentials.decide(demo.as('credentialing'), created.id, {
      transition: 'reject',
      reason: 'Illegible scan',
    });
    return;
  }
  // An expired demo credential was verified back when it was still valid; the sweep expires it.
  const verifiedAt: ServiceContext = {
    ...demo.as('credentialing'),
    now: new Date(Math.min(demo.now.getTime(), Date.parse(`${addDays(expiryDate, -30)}T12:00:00Z`))),
  };
  await credentials.decide(verifiedAt, created.id, { transition: 'verify', method: 'primary source' });
  if (credential.outcome === 'revoked') {
    await credentials.decide(demo.as('credentialing'), created.id, {
      transition: 'revoke',
      reason: 'Board action',
    });
  }
};

const seedDemoStaffMember = async (demo: DemoContext) => {
  const user = demo.users.staff;
  const staffId =
    (await staff.profileIdOfUser(user.id)) ??
    (
      await staff.create(demo.as('recruiter'), {
        userId: user.id,
        name: user.name,
        email: user.email,
        specialty: 'ICU',
        phone: '+1 512 555 0142',
        dateOfBirth: '1988-04-12',
      })
    ).id;
  const held = await credentials.listOfStaff(demo.as('staff'), staffId, undefined, { limit: 1 });
  if (held.items.length > 0) return;
  for (const credential of DEMO_STAFF_CREDENTIALS) await addCredential(demo, staffId, credential);
};

const seedMoreStaff = async (demo: DemoContext) => {
  for (const member of MORE_STAFF) {
    try {
      const user = await users.invite(demo.as('recruiter'), {
        email: member.email,
        name: member.name,
        roles: ['staff'],
      });
      const staffId = (await staff.profileIdOfUser(user.id)) ?? '';
      await staff.update(demo.as('recruiter'), staffId, 1, { specialty: member.specialty });
      const [soon = 30, later = 300] = member.expiresIn;
      await addCredential(demo, staffId, {
        type: 'RN',
        issuedBy: 'State Board of Nursing',
        expiresIn: soon,
        outcome: 'active',
      });
      await addCredential(demo, staffId, {
        type: 'BLS',
        issuedBy: 'American Red Cross',
        expiresIn: later,
        outcome: 'pending',
      });
    } catch (error) {
      // Invited by an earlier seed: their profile and credentials are there already.
      if (!(error instanceof Conflict)) throw error;
    }
  }
};

const seed: DemoSeeder = async (demo) => {
  await seedDemoStaffMember(demo);
  await seedMoreStaff(demo);
  await sweep.run(demo.as('admin'));
};

export default seed;
