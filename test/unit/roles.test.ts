import { describe, expect, it } from 'vitest';
import { isRole, ROLE_GROUPS, ROLES } from '#domain/roles.ts';

describe('roles', () => {
  it('knows exactly the four Cognito groups', () => {
    expect([...ROLES].sort()).toEqual(['admin', 'credentialing', 'recruiter', 'staff']);
    expect(ROLE_GROUPS.map((group) => group.name).sort()).toEqual([...ROLES].sort());
  });

  it('refuses names that are not roles', () => {
    expect(isRole('staff')).toBe(true);
    expect(isRole('Admin')).toBe(false);
    expect(isRole('system')).toBe(false);
  });
});
