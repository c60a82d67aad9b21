/**
 * An example request body per operation that takes one: the OpenAPI document shows it (the
 * playground's "Try it out" starts from it), and a test parses each with the route's schema.
 */
const STAFF_ID = '01JF3ZS4P6Q8R0S2T4V6W8X0YC';
const USER_ID = '9b2e4d6f-1a3c-4e5f-8a7b-0c1d2e3f4a5b';
const MESSAGE_ID = '01JF3ZR2C4D6E8G0H2J4K6M8NB';
const PASSWORD = 'Shiftline-Demo-2026!';

const CONTRACT_CONTENT = {
  title: 'ICU travel nurse, 13 weeks',
  terms: '## Terms\n\n36 hours a week, nights. Housing stipend included.',
  startDate: '2026-04-06',
  endDate: '2026-07-05',
  rate: { amountCents: 8500, currency: 'USD', per: 'hour' },
  location: 'St. Mary Medical Center, Tucson AZ',
  requiredCredentialTypes: ['RN', 'BLS'],
};

export const REQUEST_EXAMPLES: Readonly<Record<string, unknown>> = {
  forgotPassword: { email: 'nia.nurse@example.org' },
  resetPassword: {
    email: 'nia.nurse@example.org',
    code: '482913',
    newPassword: 'A-new-Passw0rd!',
  },
  resendCode: { email: 'nia.nurse@example.org' },
  changePassword: { currentPassword: PASSWORD, newPassword: 'A-new-Passw0rd!' },
  setUpMfa: { session: '<the session from the MFA_SETUP login answer>' },
  verifyMfa: {
    email: 'admin@shiftline.test',
    session: '<the session from POST /auth/mfa/setup>',
    code: '492039',
  },
  answerMfaChallenge: {
    email: 'admin@shiftline.test',
    session: '<the session from the SOFTWARE_TOKEN_MFA login answer>',
    code: '492039',
  },
  createVerification: {
    credentialId: '01JF3ZT6W8X0Y2Z4A6B8C0D2EF',
    sourceRef: 'Arizona State Board of Nursing licence lookup',
    result: 'match',
    checkedAt: '2026-03-02T15:04:00Z',
    note: 'Active, no discipline on file',
  },
  createCredentialingDecision: {
    outcome: 'approved',
    verificationIds: ['01JF3ZV1A2B3C4D5E6F7G8H9JK', '01JF3ZV1A2B3C4D5E6F7G8H9JM'],
    note: 'NPI, LEIE and every active licence verified this month',
  },
  resolveCredentialingFlag: {
    outcome: 'cleared',
    verificationId: '01JF3ZV1A2B3C4D5E6F7G8H9JN',
    note: 'Different person: date of birth and NPI differ from the LEIE row',
  },
  // The single contract request: terms, acknowledgement, staff, credentials and shifts at once.
  postGraphql: {
    query:
      'query Contract($id: String!) { contract(id: $id) { title status currentVersion contentHash acknowledgement { version contentHash } staff { id name } requiredCredentials { type held credential { status expiryDate } } nextAppointments(limit: 3) { id startAt status } } }',
    variables: { id: '01JF3ZQ8M2N4P6R8S0T2V4W6XA' },
  },
  signUp: { email: 'nia.nurse@example.org', password: PASSWORD, name: 'Nia Nurse' },
  confirmSignUp: { email: 'nia.nurse@example.org', code: '000000' },
  login: { email: 'recruiter@shiftline.test', password: PASSWORD },
  completeNewPassword: {
    email: 'new.recruiter@example.org',
    session: '<the session from the NEW_PASSWORD_REQUIRED login answer>',
    newPassword: 'A-new-Passw0rd!',
  },
  refresh: { refreshToken: '<the refreshToken from POST /auth/login>' },
  logout: { refreshToken: '<the refreshToken from POST /auth/login>' },
  inviteUser: { email: 'sam.recruiter@example.org', name: 'Sam Recruiter', roles: ['recruiter'] },
  setUserRoles: { roles: ['recruiter', 'credentialing'] },
  createStaffProfile: { userId: USER_ID, name: 'Nia Nurse', dateOfBirth: '1990-05-17' },
  updateStaffProfile: { name: 'Nia Nurse-Okafor' },
  createCredential: {
    type: 'RN',
    issuedBy: 'Arizona State Board of Nursing',
    jurisdiction: 'AZ',
    number: 'RN-204518',
    issueDate: '2024-02-01',
    expiryDate: '2027-01-31',
  },
  verifyCredential: { method: 'Nursys primary source', note: 'Active, no discipline' },
  rejectCredential: { reason: 'The scan is unreadable; upload a clearer copy' },
  revokeCredential: { reason: 'The board suspended the licence' },
  requestCredentialDocumentUpload: { name: 'rn-licence.pdf', contentType: 'application/pdf', size: 248_133 },
  createContract: { staffId: STAFF_ID, ...CONTRACT_CONTENT },
  reviseContract: { ...CONTRACT_CONTENT, endDate: '2026-07-12' },
  acknowledgeContract: {
    version: 2,
    contentHash: '3f1c0b8e2a7d9c4e5f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a',
  },
  declineContract: { reason: 'The dates clash with another assignment' },
  terminateContract: { reason: 'The facility closed the unit' },
  createAppointment: {
    staffId: STAFF_ID,
    startAt: '2026-04-06T19:00:00Z',
    endAt: '2026-04-07T07:00:00Z',
    location: 'ICU, 4th floor',
  },
  updateAppointment: { startAt: '2026-04-06T19:15:00Z', endAt: '2026-04-07T07:15:00Z' },
  cancelAppointment: { reason: 'Shift no longer needed' },
  createConversation: { participantIds: [USER_ID], subject: 'Night shifts in April' },
  sendMessage: { body: 'Can you cover Friday night?', clientMessageId: 'tab1-0001' },
  markConversationRead: { upToMessageId: MESSAGE_ID },
  createAttachmentUpload: { name: 'schedule.pdf', contentType: 'application/pdf', size: 52_044 },
  createWebhookEndpoint: {
    url: 'https://ats.example.org/hooks/shiftline',
    eventTypes: ['contract.acknowledged', 'credential.verified'],
    description: 'ATS: placements and credential status',
  },
  updateWebhookEndpoint: { enabled: false },
  searchStaff: { q: 'nia', limit: 25 },
};
