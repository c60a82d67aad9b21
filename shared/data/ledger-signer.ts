/**
 * Digest signers behind one interface: the KMS asymmetric key in AWS (`Sign` with
 * `MessageType: DIGEST` over the SHA-256 of the message, since KMS signs at most 4 KB of raw
 * message), and in the twin a P-256 key pair in a PEM file under its data directory. Both give
 * a DER-encoded ECDSA_SHA_256 signature any P-256 public key check accepts.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { DigestSigner } from '#domain/audit/ports.ts';
import { optionalEnv } from '#runtime/config.ts';
import { onFirstUse } from './on-first-use.ts';

// Loaded with the first signature or key read: the audit function's other routes never sign.
const kmsSdk = onFirstUse(() => import('@aws-sdk/client-kms'));

const pemOfSpki = (der: Uint8Array) =>
  createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })
    .export({ type: 'spki', format: 'pem' })
    .toString();

/** Signs with `keyId` through `client`, or through a client of its own made on first use. */
export const kmsSigner = (client: KMSClient | undefined, keyId: string): DigestSigner => {
  let publicKey: Promise<string> | undefined;
  let kms = client;
  const loaded = async () => {
    const sdk = await kmsSdk();
    kms ??= new sdk.KMSClient({});
    return { kms, ...sdk };
  };
  return {
    keyId,
    sign: async (message) => {
      const { kms, SignCommand } = await loaded();
      const { Signature } = await kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: createHash('sha256').update(message).digest(),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      if (!Signature) throw new Error('KMS returned no signature');
      return Buffer.from(Signature);
    },
    publicKeyPem: () => {
      publicKey ??= loaded()
        .then(({ kms, GetPublicKeyCommand }) => kms.send(new GetPublicKeyCommand({ KeyId: keyId })))
        .then(({ PublicKey }) => {
          if (!PublicKey) throw new Error('KMS returned no public key');
          return pemOfSpki(PublicKey);
        });
      return publicKey;
    },
  };
};

/** The twin's key pair: made once, kept as PKCS#8 PEM (mode 0600) so digests verify across restarts. */
export const localSigner = (file: string): DigestSigner => {
  let privateKey: KeyObject | undefined;
  const key = () => {
    if (privateKey) return privateKey;
    if (!existsSync(file)) {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
        flag: 'wx',
      });
    }
    privateKey = createPrivateKey(readFileSync(file));
    return privateKey;
  };
  return {
    keyId: `local:${file}`,
    sign: async (message) => sign('sha256', message, key()),
    publicKeyPem: async () => createPublicKey(key()).export({ type: 'spki', format: 'pem' }).toString(),
  };
};

let configured: DigestSigner | undefined;

/** The signer the environment names: a KMS key id in AWS, a key file in the twin. */
const configuredSigner = (): DigestSigner => {
  if (configured) return configured;
  const keyId = optionalEnv('ledgerSigningKeyId');
  const file = optionalEnv('ledgerSigningKeyFile');
  if (keyId) configured = kmsSigner(undefined, keyId);
  else if (file) configured = localSigner(file);
  else throw new Error('set LEDGER_SIGNING_KEY_ID (KMS) or LEDGER_SIGNING_KEY_FILE (local key pair)');
  return configured;
};

/**
 * Resolved on first use: modules that import the audit operations without signing (GraphQL's
 * wiring) load without the setting.
 */
export const ledgerSigner: DigestSigner = {
  get keyId() {
    return configuredSigner().keyId;
  },
  sign: (message) => configuredSigner().sign(message),
  publicKeyPem: () => configuredSigner().publicKeyPem(),
};
