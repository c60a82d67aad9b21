/** The Cognito groups Shiftline knows. A token's `cognito:groups` claim carries them. */
export const ROLES = ['admin', 'recruiter', 'credentialing', 'staff'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Cognito group metadata: used by the CDK stack and by the twin's identity bootstrap. */
export const ROLE_GROUPS: ReadonlyArray<{ name: Role; description: string; precedence: number }> = [
  {
    name: 'admin',
    description: 'Agency administrators: every capability, user and role management',
    precedence: 0,
  },
  {
    name: 'recruiter',
    description: 'Recruiters: staff profiles, contracts and appointments',
    precedence: 10,
  },
  {
    name: 'credentialing',
    description: 'Credentialing team: verifies licences and certifications',
    precedence: 20,
  },
  { name: 'staff', description: 'Travel nurses and locum physicians', precedence: 30 },
];
