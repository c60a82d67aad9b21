import type { components, Message } from '@shiftline/client';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { shiftline } from './shiftline.ts';

type Conversation = components['schemas']['Conversation'];

/** One conversation's messages, fetched and live, each once and in id (time) order. */
const mergeById = (conversationId: string, fetched: Message[], shown: Message[]): Message[] => {
  const byId = new Map<string, Message>();
  for (const message of [...fetched, ...shown.filter((item) => item.conversationId === conversationId)])
    byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
};

export function Chat() {
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [selected, setSelected] = useState<string>();
  const [messages, setMessages] = useState<Message[]>([]);
  const socket = useRef<ReturnType<typeof shiftline.socket>>(undefined);

  useEffect(() => {
    void shiftline.api.GET('/conversations').then(({ data }) => {
      setConversations(data?.items ?? []);
      setSelected((current) => current ?? data?.items[0]?.id);
    });
    const live = shiftline.socket();
    socket.current = live;
    const stop = live.on('message.created', (frame) => setMessages((shown) => [...shown, frame.message]));
    return () => {
      stop();
      live.close();
    };
  }, []);

  useEffect(() => {
    if (!selected) return;
    void shiftline.api
      .GET('/conversations/{id}/messages', { params: { path: { id: selected }, query: { limit: 50 } } })
      // Merged with what the socket delivered meanwhile: a frame can land before this page does.
      .then(({ data }) =>
        setMessages((shown) => mergeById(selected, [...(data?.items ?? [])].reverse(), shown)),
      );
  }, [selected]);

  const current = conversations.find((conversation) => conversation.id === selected);
  /** The display name a conversation stores for each participant (the id when it has none). */
  const nameOf = (userId: string) =>
    current?.participants.find((participant) => participant.id === userId)?.name ?? userId;
  const withOthers = (conversation: Conversation) =>
    conversation.participants
      .filter((participant) => participant.id !== shiftline.session()?.user.id)
      .map((participant) => participant.name ?? participant.id)
      .join(', ');

  const send = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('body') as HTMLInputElement;
    if (!selected || !socket.current || input.value === '') return;
    await socket.current.opened();
    await socket.current.sendMessage(selected, input.value);
    input.value = '';
  };

  return (
    <section>
      <h2>Messages</h2>
      <select value={selected} onChange={(event) => setSelected(event.target.value)}>
        {conversations.map((conversation) => (
          <option key={conversation.id} value={conversation.id}>
            {conversation.subject ?? 'Conversation'} — {withOthers(conversation)}
          </option>
        ))}
      </select>
      <ol id="messages">
        {messages
          .filter((message) => message.conversationId === selected)
          .map((message) => (
            <li key={message.id}>
              <strong>{nameOf(message.senderId)}</strong>: {message.body}
            </li>
          ))}
      </ol>
      <form onSubmit={send}>
        <input name="body" placeholder="Write a message" />
        <button type="submit">Send</button>
      </form>
    </section>
  );
}
