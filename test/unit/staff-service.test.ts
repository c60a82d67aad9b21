import { beforeEach, describe, expect, it } from 'vitest';
import { Conflict, Forbidden, NotFound, PreconditionFailed, RuleViolation } from '#domain/errors.ts';
import { createStaffService } from '#domain/staff/service.ts';
import {
  contextOf,
  createAccessEventLog,
  createInMemoryStaff,
  idSequence,
} from './support/credential-fakes.ts';

const OWNER = '0b6c6a8e-5f0e-4c55-9f0a-3c1f5c2d7e11';
const OTHER_USER = '7a1f0000-0000-4000-8000-000000000002';
const recruiter = contextOf('recruiter-sub', ['recruiter']);
const admin = contextOf('admin-sub', ['admin']);
const credentialing = contextOf('cred-sub', ['credentialing']);
const owner = contextOf(OWNER, ['staff']);
const otherStaff = contextOf(OTHER_USER, ['staff']);

let staff: ReturnType<typeof createInMemoryStaff>;
let events: ReturnType<typeof createAccessEventLog>;
let service: ReturnType<typeof createStaffService>;
const RECRUITER_USER = '7a1f0000-0000-4000-8000-000000000003';
const users = new Map([
  [OWNER, { id: OWNER, email: 'nia@example.org', name: 'Nia Nurse', roles: ['staff' as const] }],
  [
    RECRUITER_USER,
    { id: RECRUITER_USER, email: 'rita@example.org', name: 'Rita', roles: ['recruiter' as const] },
  ],
]);

beforeEach(() => {
  staff = createInMemoryStaff();
  events = createAccessEventLog();
  service = createStaffService({
    profiles: staff.repository,
    users: { getUser: async (id) => users.get(id) },
    accessEvents: events.repository,
    newId: idSequence(),
  });
});

const create = () =>
  service.create(recruiter, {
    userId: OWNER,
    name: 'Nia Nurse',
    dateOfBirth: '1990-05-01',
    specialty: 'ICU',
  });

describe('staff service: create', () => {
  it("creates one profile per user, with the user's email, attributed to the caller", async () => {
    // Act
    const profile = await create();
    // Assess
    expect(profile).toMatchObject({ userId: OWNER, email: 'nia@example.org', isActive: true, version: 1 });
    expect(profile).not.toHaveProperty('dateOfBirth');
    expect(staff.profiles.get(profile.id)?.lastActor).toMatchObject({
      userId: 'recruiter-sub',
      action: 'create',
    });
    await expect(create()).rejects.toBeInstanceOf(Conflict);
  });

  it('refuses a user that does not exist, and roles that may not create', async () => {
    await expect(service.create(admin, { userId: OTHER_USER, name: 'Ghost' })).rejects.toBeInstanceOf(
      RuleViolation,
    );
    await expect(service.create(credentialing, { userId: OWNER, name: 'Nia' })).rejects.toBeInstanceOf(
      Forbidden,
    );
  });

  it('refuses a profile for a user without the staff role', async () => {
    // Act
    const attempt = service.create(admin, { userId: RECRUITER_USER, name: 'Rita' });
    // Assess
    await expect(attempt).rejects.toMatchObject({ status: 422, name: 'RuleViolation' });
    expect(staff.profiles.size).toBe(0);
  });

  it('provisions once: a second provisioning returns the same profile', async () => {
    const user = { id: OTHER_USER, name: '', email: 'sam@example.org' };
    const first = await service.provision(contextOf('system', []), user);
    const second = await service.provision(contextOf('system', []), user);
    expect(second).toBe(first);
    expect(staff.profiles.get(first)).toMatchObject({
      name: 'sam@example.org',
      lastActor: { roles: ['system'] },
    });
  });
});

describe('staff service: date of birth', () => {
  it('shows it to the owner without an access event', async () => {
    const { id } = await create();
    expect((await service.get(owner, id)).dateOfBirth).toBe('1990-05-01');
    expect(events.events).toEqual([]);
  });

  it.each([
    ['credentialing', credentialing],
    ['admin', admin],
  ])('shows it to %s and records the read', async (_role, context) => {
    const { id } = await create();
    expect((await service.get(context, id)).dateOfBirth).toBe('1990-05-01');
    expect(events.events).toEqual([
      expect.objectContaining({
        entityType: 'StaffProfile',
        entityId: id,
        action: 'read.dateOfBirth',
        lastActor: expect.objectContaining({ userId: context.actor.userId, action: 'read.dateOfBirth' }),
      }),
    ]);
    expect(JSON.stringify(events.events)).not.toContain('1990-05-01');
  });

  it('hides it from recruiters, and from everyone in lists', async () => {
    const { id } = await create();
    expect(await service.get(recruiter, id)).not.toHaveProperty('dateOfBirth');
    const page = await service.list(admin, {}, { limit: 10 });
    expect(page.items[0]).not.toHaveProperty('dateOfBirth');
    expect(events.events).toEqual([]);
  });

  it('records nothing when there is no date of birth to read', async () => {
    const { id } = await service.create(recruiter, { userId: OWNER, name: 'Nia' });
    await service.get(admin, id);
    expect(events.events).toEqual([]);
  });
});

describe('staff service: read and update', () => {
  it("hides another staff member's profile", async () => {
    const { id } = await create();
    await expect(service.get(otherStaff, id)).rejects.toBeInstanceOf(NotFound);
    await expect(service.update(otherStaff, id, 1, { name: 'X' })).rejects.toBeInstanceOf(NotFound);
  });

  it('lets the owner change name, phone and specialty only', async () => {
    const { id } = await create();
    const updated = await service.update(owner, id, 1, {
      name: 'Nia N.',
      phone: '+1 555 0100',
      specialty: null,
    });
    expect(updated).toMatchObject({
      name: 'Nia N.',
      phone: '+1 555 0100',
      version: 2,
      dateOfBirth: '1990-05-01',
    });
    expect(updated).not.toHaveProperty('specialty');
    await expect(service.update(owner, id, 2, { dateOfBirth: '1991-01-01' })).rejects.toBeInstanceOf(
      Forbidden,
    );
    await expect(service.update(owner, id, 2, { isActive: false })).rejects.toBeInstanceOf(Forbidden);
  });

  it('needs the current version, and denies credentialing', async () => {
    const { id } = await create();
    await expect(service.update(recruiter, id, 7, { name: 'Stale' })).rejects.toBeInstanceOf(
      PreconditionFailed,
    );
    await expect(service.update(credentialing, id, 1, { name: 'No' })).rejects.toBeInstanceOf(Forbidden);
    const updated = await service.update(recruiter, id, 1, { isActive: false, npi: '1234567890' });
    expect(updated).toMatchObject({ isActive: false, npi: '1234567890', version: 2 });
    expect(updated).not.toHaveProperty('dateOfBirth');
  });

  it('lists by specialty and activity, and denies staff', async () => {
    await create();
    expect(
      (await service.list(recruiter, { specialty: 'icu', active: true }, { limit: 5 })).items,
    ).toHaveLength(1);
    expect((await service.list(recruiter, { active: false }, { limit: 5 })).items).toHaveLength(0);
    await expect(service.list(owner, {}, { limit: 5 })).rejects.toBeInstanceOf(Forbidden);
  });
});
