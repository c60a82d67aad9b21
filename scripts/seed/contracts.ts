/**
 * Demo contracts and appointments, written through the services as the demo users would: the
 * demo staff member gets contracts in several states (most with more than one version) and a
 * week of shifts; a few other staff members get shifts too. Idempotent: a staff member who
 * already has contracts or appointments that week gets nothing new.
 */
import { appointmentRepository } from '#data/appointments.ts';
import { contractRepository, contractStaff } from '#data/contracts.ts';
import { credentialHoldings } from '#data/credential-holdings.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { staffOwners } from '#data/staff-owners.ts';
import { createAppointmentsService } from '#domain/appointments/service.ts';
import { createContractsService } from '#domain/contracts/service.ts';
import type { ContractTransition } from '#domain/contracts/state-machine.ts';
import { ContractContentSchema } from '#domain/schemas/contracts.ts';
import type { DemoContext, DemoSeeder } from '../seed.ts';

const contracts = createContractsService({
  contracts: contractRepository,
  staff: staffOwners,
  credentials: credentialHoldings,
});
const appointments = createAppointmentsService({
  appointments: appointmentRepository,
  staff: staffOwners,
  contracts: contractStaff,
});

const DAY_MS = 86_400_000;
const day = (from: Date, offset: number) =>
  new Date(from.getTime() + offset * DAY_MS).toISOString().slice(0, 10);

/** Each demo contract: its title, the transitions it goes through, and whether its terms change. */
const DEMO_CONTRACTS: ReadonlyArray<{
  title: string;
  edits: number;
  path: readonly ContractTransition[];
  requiredCredentialTypes: string[];
}> = [
  { title: 'Med-surg days, 8 weeks (draft)', edits: 1, path: [], requiredCredentialTypes: ['RN', 'BLS'] },
  {
    title: 'ICU nights, 13 weeks',
    edits: 2,
    path: ['offer'],
    requiredCredentialTypes: ['RN', 'BLS', 'ACLS'],
  },
  { title: 'Step-down float pool', edits: 1, path: ['offer', 'acknowledge'], requiredCredentialTypes: [] },
  {
    title: 'Telemetry, 6 weeks',
    edits: 1,
    path: ['offer', 'acknowledge', 'activate'],
    requiredCredentialTypes: [],
  },
  {
    title: 'ER weekend cover',
    edits: 0,
    path: ['offer', 'acknowledge', 'activate', 'complete'],
    requiredCredentialTypes: [],
  },
  { title: 'Clinic relief (withdrawn)', edits: 1, path: ['offer', 'withdraw'], requiredCredentialTypes: [] },
];

const termsOf = (title: string, revision: number) =>
  [
    `# ${title}`,
    '',
    `Revision ${revision + 1}.`,
    '- Shifts as scheduled by the agency, 12 hours each.',
    '- Overtime after 40 hours a week at 1.5× the rate.',
    revision > 0 ? '- Parking and meals provided on site.' : '',
  ].join('\n');

const seedContracts = async (demo: DemoContext, staffId: string) => {
  const recruiter = demo.as('recruiter');
  const staff = demo.as('staff');
  if ((await contracts.list(staff, { limit: 1 })).items.length > 0) return;
  for (const [index, plan] of DEMO_CONTRACTS.entries()) {
    const content = (revision: number) =>
      ContractContentSchema.parse({
        title: plan.title,
        terms: termsOf(plan.title, revision),
        startDate: day(demo.now, 14 + index * 7),
        endDate: day(demo.now, 70 + index * 7),
        rate: { amountCents: 6000 + index * 500, currency: 'USD', per: 'hour' },
        location: 'Mercy General Hospital',
        requiredCredentialTypes: plan.requiredCredentialTypes,
      });
    let contract = await contracts.create(recruiter, { staffId, ...content(0) });
    // An offered contract with several edits gets its last one after the offer (it stays offered).
    const offerBeforeLastEdit = plan.edits > 1 && plan.path[0] === 'offer';
    for (let revision = 1; revision <= plan.edits; revision += 1) {
      if (offerBeforeLastEdit && revision === plan.edits) {
        contract = await contracts.transition(recruiter, contract.id, 'offer');
      }
      contract = await contracts.revise(recruiter, contract.id, contract.version, content(revision));
    }
    for (const transition of plan.path) {
      if (transition === 'offer' && contract.status === 'offered') continue;
      const context = transition === 'acknowledge' ? staff : recruiter;
      contract = await contracts.transition(context, contract.id, transition, {
        acknowledges: { version: contract.currentVersion, contentHash: contract.contentHash },
      });
    }
  }
};

/** A week of shifts from two days ago: past ones completed, the next one confirmed by the staff member. */
const seedWeekOfShifts = async (
  demo: DemoContext,
  staffId: string,
  startHour: number,
  confirmNext = false,
) => {
  const recruiter = demo.as('recruiter');
  const weekStart = new Date(`${day(demo.now, -2)}T00:00:00.000Z`);
  const existing = await appointments.list(recruiter, {
    staffId,
    limit: 1,
    from: weekStart.toISOString(),
    to: new Date(weekStart.getTime() + 7 * DAY_MS).toISOString(),
  });
  if (existing.items.length > 0) return;
  for (let offset = 0; offset < 7; offset += 1) {
    if (offset === 3) continue; // a day off mid-week
    const startAt = new Date(weekStart.getTime() + offset * DAY_MS + startHour * 3_600_000);
    const endAt = new Date(startAt.getTime() + 12 * 3_600_000);
    const booked = await appointments.create(recruiter, {
      staffId,
      startAt: startAt.toISOString(),
      endAt: endAt.toISOString(),
      location: 'Mercy General Hospital',
    });
    if (endAt < demo.now) await appointments.transition(recruiter, booked.id, 'complete');
    else if (confirmNext && startAt > demo.now) {
      await appointments.transition(demo.as('staff'), booked.id, 'confirm');
      confirmNext = false;
    }
  }
};

export const seedContractsAndAppointments: DemoSeeder = async (demo) => {
  const staffId = await staffProfileRepository.profileIdOfUser(demo.users.staff.id);
  if (staffId === undefined) {
    console.warn('contracts seed: the demo staff user has no staff profile yet; skipped');
    return;
  }
  await seedContracts(demo, staffId);
  await seedWeekOfShifts(demo, staffId, 7, true);
  const others = await staffProfileRepository.list({ active: true }, { limit: 4 });
  for (const [index, profile] of others.items
    .filter((item) => item.id !== staffId)
    .slice(0, 3)
    .entries()) {
    await seedWeekOfShifts(demo, profile.id, index % 2 === 0 ? 19 : 8);
  }
};

export default seedContractsAndAppointments;
