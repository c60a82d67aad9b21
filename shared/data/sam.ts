/**
 * The SAM.gov Exclusions API (v4), which needs an API key: SAM_API_KEY directly (the twin), else
 * the Secrets Manager secret SAM_API_KEY_SECRET_ARN names (AWS), read once. Neither set: SAM is
 * off, and `samExclusions()` answers undefined.
 */
import type { SamExclusions } from '#domain/credentialing/sam.ts';
import { DependencyUnavailable } from '#domain/errors.ts';
import { optionalEnv } from '#runtime/config.ts';
import { onFirstUse } from './on-first-use.ts';
import { fetchText } from './outbound.ts';

export const SAM_API_URL = 'https://api.sam.gov/entity-information/v4/exclusions';

// Loaded with the first key read, in AWS only (the twin passes the key directly).
const secretsManager = onFirstUse(async () => {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  return { client: new SecretsManagerClient({}), GetSecretValueCommand };
});

const keyReader = (secretArn: string) => {
  let key: Promise<string> | undefined;
  return (): Promise<string> => {
    key ??= secretsManager()
      .then(({ client, GetSecretValueCommand }) =>
        client.send(new GetSecretValueCommand({ SecretId: secretArn })),
      )
      .then(({ SecretString }) => {
        if (!SecretString) throw new Error('the SAM API key secret is empty');
        return SecretString;
      })
      .catch((error: unknown) => {
        // Never cache a failure: the next screen asks again.
        key = undefined;
        throw new DependencyUnavailable('the SAM API key could not be read', { cause: error });
      });
    return key;
  };
};

export const samExclusions = (): SamExclusions | undefined => {
  const direct = optionalEnv('samApiKey');
  const secretArn = optionalEnv('samApiKeySecretArn');
  if (direct === undefined && secretArn === undefined) return undefined;
  const apiKey = direct !== undefined ? async () => direct : keyReader(secretArn ?? '');
  const baseUrl = optionalEnv('samApiUrl') ?? SAM_API_URL;
  return {
    search: async (query) => {
      const url = new URL(baseUrl);
      const by: Record<string, string> = 'npi' in query ? { npi: query.npi } : { exclusionName: query.name };
      url.search = new URLSearchParams({
        api_key: await apiKey(),
        classification: 'Individual',
        ...by,
      }).toString();
      const body = await fetchText(url);
      try {
        JSON.parse(body);
      } catch (error) {
        throw new DependencyUnavailable('SAM.gov answered something other than JSON', { cause: error });
      }
      return body;
    },
  };
};
