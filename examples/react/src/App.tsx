import type { Session } from '@shiftline/client';
import { type FormEvent, useState } from 'react';
import { Chat } from './Chat.tsx';
import { Contracts } from './Contracts.tsx';
import { Credentials } from './Credentials.tsx';
import { shiftline } from './shiftline.ts';

export function App() {
  const [session, setSession] = useState<Session | undefined>(shiftline.session());
  const [failure, setFailure] = useState('');

  const login = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const outcome = await shiftline.login(String(form.get('email')), String(form.get('password')));
      if ('signedIn' in outcome) setSession(outcome.signedIn);
      else setFailure('Choose a new password first (POST /auth/new-password)');
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  };

  if (!session) {
    return (
      <form onSubmit={login}>
        <h1>Shiftline</h1>
        <input name="email" type="email" placeholder="email" defaultValue="staff@shiftline.test" />
        <input name="password" type="password" placeholder="password" />
        <button type="submit">Log in</button>
        <p role="alert">{failure}</p>
      </form>
    );
  }
  return (
    <main>
      <header>
        Signed in as <strong id="signed-in">{session.user.name}</strong> ({session.user.roles.join(', ')}){' '}
        <button type="button" onClick={() => shiftline.logout().then(() => setSession(undefined))}>
          Log out
        </button>
      </header>
      <Contracts />
      <Chat />
      <Credentials />
    </main>
  );
}
