/**
 * Access matrices as tables: each row names a route, then what staff get on their own item,
 * staff on another's, recruiter, credentialing and admin. `cases` flattens them for `it.each`.
 */
import type { Role } from '#domain/roles.ts';

export type Expect = 'ok' | 403 | 404;

export type MatrixRow = [
  route: string,
  ownStaff: Expect,
  otherStaff: Expect,
  recruiter: Expect,
  credentialing: Expect,
  admin: Expect,
];

const CALLERS: ReadonlyArray<{ role: Role; variant: 'own' | 'other' }> = [
  { role: 'staff', variant: 'own' },
  { role: 'staff', variant: 'other' },
  { role: 'recruiter', variant: 'own' },
  { role: 'credentialing', variant: 'own' },
  { role: 'admin', variant: 'own' },
];

export const matrixCases = (matrix: readonly MatrixRow[]) =>
  matrix.flatMap(([route, ...expected]) =>
    CALLERS.map((caller, index) => ({ route, ...caller, expected: expected[index] as Expect })),
  );
