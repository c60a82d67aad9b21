import type { components } from '@shiftline/client';
import { type ChangeEvent, useEffect, useState } from 'react';
import { shiftline } from './shiftline.ts';

type Credential = components['schemas']['Credential'];
type DocumentType = components['schemas']['DocumentUploadRequest']['contentType'];

export function Credentials() {
  const [credentials, setCredentials] = useState<Credential[]>([]);
  const [note, setNote] = useState('');
  useEffect(() => {
    void shiftline.api.GET('/me').then(async ({ data: me }) => {
      const profileId = me?.staffProfileId;
      if (!profileId) return;
      const { data } = await shiftline.api.GET('/staff/{id}/credentials', {
        params: { path: { id: profileId } },
      });
      setCredentials(data?.items ?? []);
    });
  }, []);

  // Two steps: a presigned PUT from the API, then the file straight to S3 with its headers.
  const upload = async (credential: Credential, event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const { data, error } = await shiftline.api.POST('/credentials/{id}/document', {
      params: { path: { id: credential.id } },
      body: { name: file.name, contentType: file.type as DocumentType, size: file.size },
    });
    if (!data) return setNote(`Refused: ${error && 'detail' in error ? error.detail : 'see the console'}`);
    const put = await fetch(data.uploadUrl, { method: 'PUT', headers: data.uploadHeaders, body: file });
    setNote(put.ok ? `Uploaded ${file.name}` : `Upload failed: ${put.status}`);
  };

  return (
    <section>
      <h2>Credentials</h2>
      <ul>
        {credentials.map((credential) => (
          <li key={credential.id}>
            {credential.type} — {credential.status}{' '}
            <input
              type="file"
              accept="application/pdf,image/png,image/jpeg"
              onChange={(event) => void upload(credential, event)}
            />
          </li>
        ))}
      </ul>
      <p>{note}</p>
    </section>
  );
}
