/** OIG's monthly LEIE file (`UPDATED.csv`, public, no key), fetched whole for the importer. */
import { optionalEnv } from '#runtime/config.ts';
import { fetchText } from './outbound.ts';

export const LEIE_DOWNLOAD_URL = 'https://oig.hhs.gov/exclusions/downloadables/UPDATED.csv';

// The file is some 15 MB: a minute, where an API lookup gets seconds.
const DOWNLOAD_TIMEOUT_MS = 60_000;

export const downloadLeieFile = (
  url = optionalEnv('leieDownloadUrl') ?? LEIE_DOWNLOAD_URL,
): Promise<string> => fetchText(new URL(url), DOWNLOAD_TIMEOUT_MS, 'text/csv');
