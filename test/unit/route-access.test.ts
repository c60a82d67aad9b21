import { describe, expect, it } from 'vitest';
import { ROUTES, routeKeyOf } from '#shared/routes.ts';

const EVERY_ROLE = ['admin', 'recruiter', 'credentialing', 'staff'];
const AGENCY = ['admin', 'recruiter'];
const CREDENTIALING = ['admin', 'credentialing'];

/** Who may call each route (API.md's route tables): the roles every route derives from the policy. */
const EXPECTED_ACCESS: Record<string, 'public' | string[]> = {
  'GET /health': 'public',
  'GET /openapi.json': 'public',
  'GET /asyncapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/{asset}': 'public',
  'POST /auth/signup': 'public',
  'POST /auth/confirm': 'public',
  'POST /auth/login': 'public',
  'POST /auth/new-password': 'public',
  'POST /auth/refresh': 'public',
  'POST /auth/forgot': 'public',
  'POST /auth/reset': 'public',
  'POST /auth/resend-code': 'public',
  // Public for the gateway: the route verifies the bearer access token through Cognito itself.
  'POST /auth/change-password': 'public',
  // Public too: a bearer access token verified by Cognito, or the service's MFA_SETUP session.
  'POST /auth/mfa/setup': 'public',
  'POST /auth/mfa/verify': 'public',
  'POST /auth/mfa/challenge': 'public',
  'POST /auth/logout': EVERY_ROLE,
  'GET /me': EVERY_ROLE,
  'POST /users': AGENCY,
  'GET /users': ['admin'],
  'PUT /users/{id}/roles': ['admin'],
  'POST /users/{id}/disable': ['admin'],
  'POST /users/{id}/mfa/reset': ['admin'],
  'POST /staff': AGENCY,
  'GET /staff': ['admin', 'recruiter', 'credentialing'],
  'GET /staff/{id}': EVERY_ROLE,
  'GET /staff/{id}/fhir': EVERY_ROLE,
  'PATCH /staff/{id}': ['admin', 'recruiter', 'staff'],
  'POST /staff/{id}/credentials': EVERY_ROLE,
  'GET /staff/{id}/credentials': EVERY_ROLE,
  'GET /credentials': ['admin', 'recruiter', 'credentialing'],
  'GET /credentials/{id}': EVERY_ROLE,
  'POST /credentials/{id}/verify': CREDENTIALING,
  'POST /credentials/{id}/reject': CREDENTIALING,
  'POST /credentials/{id}/revoke': CREDENTIALING,
  'POST /credentials/{id}/document': ['admin', 'credentialing', 'staff'],
  'GET /credentials/{id}/document': EVERY_ROLE,
  'POST /admin/sweeps/credential-expiry': ['admin'],
  'POST /staff/{id}/verifications': CREDENTIALING,
  'GET /staff/{id}/verifications': ['admin', 'credentialing', 'staff'],
  'POST /staff/{id}/checks/nppes': CREDENTIALING,
  'POST /staff/{id}/checks/leie': CREDENTIALING,
  'POST /staff/{id}/decisions': CREDENTIALING,
  'GET /staff/{id}/decisions': ['admin', 'credentialing', 'staff'],
  'GET /monitoring-runs': CREDENTIALING,
  'POST /staff/{id}/flags/{flagId}/resolve': CREDENTIALING,
  'GET /credentialing-flags': CREDENTIALING,
  'POST /contracts': AGENCY,
  'GET /contracts': EVERY_ROLE,
  'GET /contracts/{id}': EVERY_ROLE,
  'PUT /contracts/{id}': AGENCY,
  'GET /contracts/{id}/versions': EVERY_ROLE,
  'GET /contracts/{id}/versions/{n}': EVERY_ROLE,
  'POST /contracts/{id}/offer': AGENCY,
  'POST /contracts/{id}/acknowledge': ['staff'],
  'POST /contracts/{id}/decline': ['staff'],
  'POST /contracts/{id}/activate': AGENCY,
  'POST /contracts/{id}/complete': AGENCY,
  'POST /contracts/{id}/terminate': AGENCY,
  'POST /contracts/{id}/withdraw': AGENCY,
  'POST /appointments': AGENCY,
  'GET /appointments': EVERY_ROLE,
  'GET /appointments/{id}': EVERY_ROLE,
  'PATCH /appointments/{id}': AGENCY,
  'POST /appointments/{id}/confirm': ['staff'],
  'POST /appointments/{id}/cancel': ['admin', 'recruiter', 'staff'],
  'POST /appointments/{id}/complete': AGENCY,
  'POST /appointments/{id}/no-show': AGENCY,
  'POST /conversations': EVERY_ROLE,
  'GET /conversations': EVERY_ROLE,
  'GET /conversations/{id}': EVERY_ROLE,
  'POST /conversations/{id}/messages': EVERY_ROLE,
  'GET /conversations/{id}/messages': EVERY_ROLE,
  'POST /conversations/{id}/read': EVERY_ROLE,
  'POST /conversations/{id}/attachments': EVERY_ROLE,
  'GET /conversations/{id}/attachments/{attachmentId}': EVERY_ROLE,
  'GET /audit': CREDENTIALING,
  'GET /audit/{entityType}/{entityId}': CREDENTIALING,
  'GET /audit/{entityType}/{entityId}/verify': CREDENTIALING,
  'GET /audit/digests': ['admin'],
  'GET /audit/digests/public-key': 'public',
  'GET /audit/verify': ['admin'],
  // Each field checks its own route's roles; any signed-in user may ask.
  'POST /graphql': EVERY_ROLE,
  'GET /graphql': 'public',
  'GET /graphql/{asset}': 'public',
  // Each change is re-checked against the policy as its REST route would.
  'GET /sync': EVERY_ROLE,
  // Webhooks send the agency's events to its other systems: admins decide where.
  'POST /webhooks/endpoints': ['admin'],
  'GET /webhooks/endpoints': ['admin'],
  'GET /webhooks/endpoints/{id}': ['admin'],
  'PATCH /webhooks/endpoints/{id}': ['admin'],
  'DELETE /webhooks/endpoints/{id}': ['admin'],
  'POST /webhooks/endpoints/{id}/rotate-secret': ['admin'],
  'GET /webhooks/endpoints/{id}/deliveries': ['admin'],
  'POST /webhooks/deliveries/{id}/replay': ['admin'],
  'POST /staff/search': ['admin', 'recruiter', 'credentialing'],
};

describe('route access', () => {
  it('lets exactly these roles call each route, in the role order of the policy', () => {
    // Act
    const access = Object.fromEntries(
      ROUTES.map((route) => [
        routeKeyOf(route),
        route.access === 'public' ? 'public' : [...route.access.roles],
      ]),
    );

    // Assess
    expect(access).toEqual(EXPECTED_ACCESS);
  });
});
