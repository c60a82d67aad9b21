/**
 * The expiring work queue: pending and active credentials whose expiry day falls in a window,
 * read bucket by bucket from the expiry-day index. A page may span buckets; its position
 * names the bucket and the key within it where the next page starts.
 */
import type { ListPosition, Page, PageRequest } from '../page.ts';
import { addDays } from './days.ts';
import type { CredentialRepository, StoredCredential } from './ports.ts';
import type { CredentialStatus } from './state-machine.ts';

export type ExpiringPosition = {
  day: string;
  /** The last day of the window, fixed when the first page was read (a cursor outlives midnight). */
  to: string;
  after?: ListPosition;
};

export const listExpiring = async (
  credentials: Pick<CredentialRepository, 'listExpiringOn'>,
  window: { from: string; to: string },
  status: CredentialStatus | undefined,
  page: PageRequest<ExpiringPosition>,
): Promise<Page<StoredCredential, ExpiringPosition>> => {
  const items: StoredCredential[] = [];
  const to = page.position?.to ?? window.to;
  let day = page.position?.day ?? window.from;
  let after = page.position?.after;
  while (day <= to) {
    const bucket = await credentials.listExpiringOn(day, status, {
      limit: page.limit - items.length,
      position: after,
    });
    items.push(...bucket.items);
    after = bucket.next;
    if (after === undefined) day = addDays(day, 1);
    if (items.length >= page.limit) break;
  }
  return { items, next: day <= to ? { day, to, ...(after === undefined ? {} : { after }) } : undefined };
};
