/**
 * The credentials a staff member holds, for contract gating: their active credentials are one
 * Query of their list (the credentials capability keys them by status there).
 */
import type { CredentialHoldings } from '#domain/contracts/ports.ts';
import { credentialEntity } from './entities/credentials.ts';

export const credentialHoldings: CredentialHoldings = {
  heldCredentials: async (staffId) => {
    const held = await credentialEntity.all.byStaff(
      { staffId, status: 'active' },
      { attributes: ['type', 'status', 'expiryDate'] },
    );
    return held.map((credential) => ({
      type: String(credential.type),
      status: String(credential.status),
      ...(typeof credential.expiryDate === 'string' ? { expiryDate: credential.expiryDate } : {}),
    }));
  },
};
