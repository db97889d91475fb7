'use client';
import { useEffect, useId, useMemo, useState, type KeyboardEvent, type Ref } from 'react';
import { loadDraft, saveDraft } from '../../trpc/drafts.ts';
import { useHearth, useTRPCClient } from '../../trpc/react.tsx';
import { createTypingNotifier } from '../../trpc/typing.ts';

interface Props {
  roomId: string;
  roomName: string;
  disabled: string | null;
  onSend(body: string): void;
  /** Up in an empty composer: edit my last message; false when there is none. */
  onEditLast(): boolean;
  ref?: Ref<HTMLTextAreaElement>;
}

/**
 * Enter sends, Shift+Enter starts a new line, Up (when empty) edits my last
 * message; keystrokes tell the room you are typing. What is written stays as
 * the room's draft (trpc/drafts.ts) until sent.
 */
export function Composer({ roomId, roomName, disabled, onSend, onEditLast, ref }: Props) {
  const client = useTRPCClient();
  const { me } = useHearth();
  const id = useId();
  const [text, setTextState] = useState(() => loadDraft(localStorage, me.id, roomId));
  const setText = (value: string) => {
    setTextState(value);
    saveDraft(localStorage, { userId: me.id, roomId, text: value });
  };
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
    const plain = !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
    if (event.key === 'ArrowUp' && plain && text === '' && onEditLast()) event.preventDefault();
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
        ref={ref}
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
