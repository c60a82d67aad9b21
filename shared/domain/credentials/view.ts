import type { Credential } from '../schemas/credentials.ts';
import type { StoredCredential } from './ports.ts';

/** The API shape of a stored credential: no owner sub, object key or attribution. */
export const credentialView = (credential: StoredCredential): Credential => {
  const { ownerUserId: _owner, documentKey: _key, lastActor: _lastActor, ...view } = credential;
  return view;
};
