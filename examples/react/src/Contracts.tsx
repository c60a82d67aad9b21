import type { components } from '@shiftline/client';
import { useCallback, useEffect, useState } from 'react';
import { shiftline } from './shiftline.ts';

type Contract = components['schemas']['Contract'];

export function Contracts() {
  const [contracts, setContracts] = useState<Contract[]>([]);
  const load = useCallback(async () => {
    const { data } = await shiftline.api.GET('/contracts', { params: { query: { limit: 25 } } });
    setContracts(data?.items ?? []);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  // Acknowledge the exact terms shown: the content version (currentVersion) and its hash.
  const acknowledge = async (contract: Contract) => {
    await shiftline.api.POST('/contracts/{id}/acknowledge', {
      params: { path: { id: contract.id } },
      body: { version: contract.currentVersion, contentHash: contract.contentHash },
    });
    await load();
  };

  return (
    <section>
      <h2>Contracts</h2>
      <ul id="contracts">
        {contracts.map((contract) => (
          <li key={contract.id} data-status={contract.status}>
            {contract.title} — {contract.status}{' '}
            {contract.status === 'offered' && (
              <button type="button" onClick={() => void acknowledge(contract)}>
                Acknowledge v{contract.currentVersion}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
