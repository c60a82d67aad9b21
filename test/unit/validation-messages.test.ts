/**
 * Validation messages a client developer can act on: a malformed date or time names the
 * format it expects, and only that error is reported (no comparison against a date that
 * failed to parse).
 */
import { describe, expect, it } from 'vitest';
import { CreateAppointmentBodySchema } from '#domain/schemas/appointments.ts';
import { CreateContractBodySchema } from '#domain/schemas/contracts.ts';
import { CreateCredentialBodySchema } from '#domain/schemas/credentials.ts';
import { CreateConversationBodySchema, MAX_PARTICIPANTS } from '#domain/schemas/messaging.ts';
import { CreateStaffProfileBodySchema } from '#domain/schemas/staff.ts';
import { fieldErrorsOf } from '#runtime/http-input.ts';
import { REQUEST_EXAMPLES } from '#shared/routes/examples.ts';

const errorsOf = (
  schema: { safeParse: (value: unknown) => { error?: { issues: unknown[] } } },
  body: unknown,
) =>
  fieldErrorsOf('body', (schema.safeParse(body).error?.issues ?? []) as Parameters<typeof fieldErrorsOf>[1]);

describe('validation messages', () => {
  it('name YYYY-MM-DD for a malformed contract date, and say nothing about the order of the dates', () => {
    const body = {
      ...(REQUEST_EXAMPLES.createContract as object),
      startDate: '2026-13-01',
      endDate: '2026-02-01',
    };
    expect(errorsOf(CreateContractBodySchema, body)).toEqual([
      { path: 'body.startDate', message: 'A date as YYYY-MM-DD' },
    ]);
  });

  it('still refuse an end before the start once both are dates', () => {
    const body = {
      ...(REQUEST_EXAMPLES.createContract as object),
      startDate: '2026-03-01',
      endDate: '2026-02-01',
    };
    expect(errorsOf(CreateContractBodySchema, body)).toEqual([
      { path: 'body.endDate', message: 'endDate must not be before startDate' },
    ]);
  });

  it('name YYYY-MM-DD for credential dates and dates of birth, alone', () => {
    const credential = { ...(REQUEST_EXAMPLES.createCredential as object), issueDate: '31/01/2027' };
    expect(errorsOf(CreateCredentialBodySchema, credential)).toEqual([
      { path: 'body.issueDate', message: 'A date as YYYY-MM-DD' },
    ]);
    const profile = { ...(REQUEST_EXAMPLES.createStaffProfile as object), dateOfBirth: '01/02/1890' };
    expect(errorsOf(CreateStaffProfileBodySchema, profile)).toEqual([
      { path: 'body.dateOfBirth', message: 'A date as YYYY-MM-DD' },
    ]);
  });

  it('name the ISO 8601 form for appointment times', () => {
    const body = { ...(REQUEST_EXAMPLES.createAppointment as object), startAt: '2026-04-06 19:00' };
    expect(errorsOf(CreateAppointmentBodySchema, body)).toEqual([
      { path: 'body.startAt', message: 'A time as ISO 8601 with an offset, e.g. 2026-03-06T19:00:00Z' },
    ]);
  });

  it('take a conversation of up to 99 people, the caller included, and say so past it', () => {
    const others = (count: number) =>
      Array.from(
        { length: count },
        (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      );

    const full = CreateConversationBodySchema.safeParse({ participantIds: others(MAX_PARTICIPANTS - 1) });
    const tooMany = errorsOf(CreateConversationBodySchema, { participantIds: others(MAX_PARTICIPANTS) });

    expect(full.success).toBe(true);
    expect(tooMany).toHaveLength(1);
    expect(tooMany[0]?.path).toBe('body.participantIds');
  });
});
