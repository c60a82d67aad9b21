/** The NPPES NPI Registry API 2.1 (no key): one lookup by number, the raw body returned as evidence. */
import type { NppesRegistry } from '#domain/credentialing/nppes.ts';
import { DependencyUnavailable } from '#domain/errors.ts';
import { optionalEnv } from '#runtime/config.ts';
import { fetchText } from './outbound.ts';

export const NPPES_API_URL = 'https://npiregistry.cms.hhs.gov/api/';

export const nppesRegistry = (baseUrl = optionalEnv('nppesApiUrl') ?? NPPES_API_URL): NppesRegistry => ({
  byNumber: async (npi) => {
    const url = new URL(baseUrl);
    url.search = new URLSearchParams({ version: '2.1', number: npi, limit: '1' }).toString();
    const body = await fetchText(url);
    try {
      const parsed = JSON.parse(body) as { Errors?: unknown };
      if (parsed.Errors) throw new DependencyUnavailable('NPPES refused the query');
    } catch (error) {
      if (error instanceof DependencyUnavailable) throw error;
      throw new DependencyUnavailable('NPPES answered something other than JSON', { cause: error });
    }
    return body;
  },
});
