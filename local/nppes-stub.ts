/**
 * The NPPES NPI Registry API (version 2.1) as the twin serves it: the query shape of
 * https://npiregistry.cms.hhs.gov/api/ answered from fixtures shipped in the repo, so the twin
 * and the tests never touch the network. Filters: number, first_name, last_name (a trailing `*`
 * is a prefix), state, taxonomy_description, limit ≤ 200; anything else the real API takes is
 * accepted and ignored. Errors answer 200 with `Errors[]`, as the real API does. The same
 * server hands out the LEIE sample as OIG's monthly `UPDATED.csv` (the twin's `leieDownload`).
 */
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

interface NppesRecord {
  number: string;
  basic: { first_name?: string; last_name?: string };
  taxonomies: Array<{ desc: string; state?: string }>;
  addresses: Array<{ state?: string }>;
}

export const NPPES_FIXTURES = join(import.meta.dirname, 'fixtures', 'nppes-registry.json');

/** What the twin's `leieDownload` fetches in place of OIG's monthly UPDATED.csv. */
export const LEIE_FIXTURE = join(import.meta.dirname, 'fixtures', 'leie-sample.csv');
export const LEIE_FIXTURE_PATH = '/leie/UPDATED.csv';

/** SAM.gov's Exclusions API (v4), answered from fictitious records when the twin turns SAM on. */
export const SAM_FIXTURES = join(import.meta.dirname, 'fixtures', 'sam-exclusions.json');
export const SAM_FIXTURE_PATH = '/sam/exclusions';

interface SamRecord {
  exclusionIdentification: { npi: string | null; firstName: string | null; lastName: string | null };
}

/** `?npi=` exactly, or `?exclusionName=` as first and last name (case-insensitive); an api_key is required. */
export const querySam = (records: readonly SamRecord[], query: URLSearchParams): unknown => {
  if (!query.get('api_key'))
    return { error: { code: 'API_KEY_MISSING', message: 'No api_key was supplied' } };
  const npi = query.get('npi');
  const name = query.get('exclusionName')?.toUpperCase();
  const excludedEntity = records.filter(({ exclusionIdentification: who }) =>
    npi ? who.npi === npi : `${who.firstName ?? ''} ${who.lastName ?? ''}` === name,
  );
  return { totalRecords: excludedEntity.length, excludedEntity };
};

const loadFixtures = (file: string): NppesRecord[] =>
  (JSON.parse(readFileSync(file, 'utf8')) as { results: NppesRecord[] }).results;

const matchesText = (value: string | undefined, wanted: string) => {
  const have = (value ?? '').toUpperCase();
  const want = wanted.toUpperCase();
  return want.endsWith('*') ? have.startsWith(want.slice(0, -1)) : have === want;
};

type Filter = (record: NppesRecord, wanted: string) => boolean;

const FILTERS: Record<string, Filter> = {
  number: (record, wanted) => record.number === wanted,
  first_name: (record, wanted) => matchesText(record.basic.first_name, wanted),
  last_name: (record, wanted) => matchesText(record.basic.last_name, wanted),
  state: (record, wanted) => record.addresses.some((address) => matchesText(address.state, wanted)),
  taxonomy_description: (record, wanted) =>
    record.taxonomies.some((taxonomy) => taxonomy.desc.toUpperCase().includes(wanted.toUpperCase())),
};

const answer = (response: ServerResponse, body: unknown) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

const error = (description: string, field: string) => ({ Errors: [{ description, field, number: '04' }] });

/** The query's answer: `{ result_count, results }`, or `{ Errors }` for a query the API refuses. */
export const queryNppes = (records: readonly NppesRecord[], query: URLSearchParams): unknown => {
  if (query.get('version') !== '2.1') return error('Version 2.1 is the supported version', 'version');
  const limit = Number(query.get('limit') ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) return error('Limit must be 1 to 200', 'limit');
  const given = Object.keys(FILTERS).filter((name) => query.get(name));
  if (given.length === 0) return error('No valid search criteria provided', 'number');
  const results = records
    .filter((record) => given.every((name) => FILTERS[name]?.(record, query.get(name) ?? '')))
    .slice(0, limit);
  return { result_count: results.length, results };
};

export interface RunningNppesStub {
  /** Base URL of the API, `http://127.0.0.1:<port>/api/`. */
  url: string;
  stop: () => Promise<void>;
}

export const startNppesStub = async (
  port: number,
  fixtures = NPPES_FIXTURES,
  leieFile = LEIE_FIXTURE,
): Promise<RunningNppesStub> => {
  const records = loadFixtures(fixtures);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'GET' && url.pathname === SAM_FIXTURE_PATH) {
      const { excludedEntity } = JSON.parse(readFileSync(SAM_FIXTURES, 'utf8')) as {
        excludedEntity: SamRecord[];
      };
      answer(response, querySam(excludedEntity, url.searchParams));
      return;
    }
    // OIG's monthly file, for the twin's leieDownload: read at each request, so a test can swap it.
    if (request.method === 'GET' && url.pathname === LEIE_FIXTURE_PATH) {
      response.writeHead(200, { 'content-type': 'text/csv' });
      response.end(readFileSync(leieFile));
      return;
    }
    if (request.method !== 'GET' || url.pathname.replace(/\/$/, '') !== '/api') {
      response.writeHead(404).end();
      return;
    }
    answer(response, queryNppes(records, url.searchParams));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/api/`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
