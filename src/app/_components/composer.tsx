'use client';
import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useTRPCClient } from '../../trpc/react.tsx';
import { createTypingNotifier } from '../../trpc/typing.ts';

interface Props {
  roomId: string;
  roomName: string;
  disabled: string | null;
  onSend(body: string): void;
}

/** Enter sends, Shift+Enter starts a new line; keystrokes tell the room you are typing. */
export function Composer({ roomId, roomName, disabled, onSend }: Props) {
  const client = useTRPCClient();
  const id = useId();
  const [text, setText] = useState('');
  const typing = useMemo(
    () => createTypingNotifier({ send: (value) => client.typing.set.mutate({ roomId, typing: value }).catch(() => undefined) }),
    [client, roomId],
  );
  useEffect(
    () => () => {
      typing.stop();
      typing.dispose();
    },
    [typing],
  );

  const submit = () => {
    const body = text.trim();
    if (!body) return;
    onSend(body);
    setText('');
    typing.stop();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={id} className="sr-only">
        Message {roomName}
      </label>
      <textarea
        id={id}
        rows={1}
        value={text}
        disabled={disabled !== null}
        placeholder={disabled ?? `Message ${roomName} (Enter to send, Shift+Enter for a new line)`}
        onKeyDown={onKeyDown}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value) typing.keystroke();
          else typing.stop();
        }}
      />
      <button type="submit" disabled={disabled !== null || !text.trim()}>
        Send
      </button>
    </form>
  );
}
