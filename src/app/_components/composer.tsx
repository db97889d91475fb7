'use client';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { loadDraft, saveDraft } from '../../trpc/drafts.ts';
import { draftNote } from '../../trpc/mention-marks.ts';
import { mayMentionRoom } from '../../trpc/mention-suggest.ts';
import { useHearth, useTRPCClient } from '../../trpc/react.tsx';
import { createTypingNotifier } from '../../trpc/typing.ts';
import { useMentionComplete } from '../../trpc/use-mention-complete.ts';
import type { Member } from '../../trpc/use-rooms.ts';
import { MentionList, mentionOptionId } from './mention-list.tsx';

interface Props {
  roomId: string;
  roomName: string;
  disabled: string | null;
  onSend(body: string): void;
  /** Up in an empty composer: edit my last message; false when there is none. */
  onEditLast(): boolean;
  /** The room's members, offered by the `@` list. */
  members: readonly Member[];
  /** Above this many members only admins may say `@room` (rooms.get); null until known. */
  roomMentionLimit: number | null;
  ref?: Ref<HTMLTextAreaElement>;
}

/**
 * Enter sends, Shift+Enter starts a new line, Up (when empty) edits my last
 * message; keystrokes tell the room you are typing. What is written stays as
 * the room's draft (trpc/drafts.ts) until sent. `@` opens the room's members
 * (a combobox around the text: arrows move, Enter or Tab picks, Escape
 * closes), and a note under it says which `@name`s reach nobody here.
 */
export function Composer({ roomId, roomName, disabled, onSend, onEditLast, members, roomMentionLimit, ref }: Props) {
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

  const [caret, setCaret] = useState(0);
  const [focused, setFocused] = useState(false);
  const field = useRef<HTMLTextAreaElement | null>(null);
  const setField = (element: HTMLTextAreaElement | null) => {
    field.current = element;
    if (typeof ref === 'function') ref(element);
    else if (ref) ref.current = element;
  };
  // After a pick, the caret goes just past the inserted name once the new text is in the field.
  const caretAfterPick = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caretAfterPick.current === null) return;
    field.current?.setSelectionRange(caretAfterPick.current, caretAfterPick.current);
    caretAfterPick.current = null;
  });
  const offerRoom = mayMentionRoom({
    memberCount: members.length,
    limit: roomMentionLimit,
    roomAdmin: members.some((m) => m.userId === me.id && m.role === 'admin'),
    hearthAdmin: me.role === 'admin',
  });
  const complete = useMentionComplete({ text, caret, focused, members, meId: me.id, offerRoom });
  const usernames = useMemo(() => new Set(members.map((m) => m.username.toLowerCase())), [members]);
  const note = draftNote({ text, usernames, typingAt: complete.typingAt, offerRoom, roomMentionLimit });
  const pick = (item?: Parameters<typeof complete.pick>[0]) => {
    const next = complete.pick(item);
    if (!next) return;
    setText(next.text);
    setCaret(next.caret);
    caretAfterPick.current = next.caret;
    typing.keystroke();
  };
  const submit = () => {
    const body = text.trim();
    if (!body) return;
    onSend(body);
    setText('');
    typing.stop();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const plainKey = !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
    if (complete.open && plainKey && !event.nativeEvent.isComposing) {
      const handled: Partial<Record<string, () => void>> = {
        ArrowDown: () => complete.move(1),
        ArrowUp: () => complete.move(-1),
        Enter: () => pick(),
        Tab: () => pick(),
        Escape: complete.dismiss,
      };
      const action = Object.hasOwn(handled, event.key) ? handled[event.key] : undefined;
      if (action) {
        event.preventDefault();
        return action();
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
    if (event.key === 'ArrowUp' && plainKey && text === '' && onEditLast()) event.preventDefault();
  };
  const listId = `${id}-mentions`;

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={id} id={`${id}-label`} className="sr-only">
        Message {roomName}
      </label>
      {/* The ARIA 1.1 combobox: the wrapper says whether the list is open, the text field stays a textbox. */}
      <div
        className="composer-field"
        role="combobox"
        aria-expanded={complete.open}
        aria-haspopup="listbox"
        aria-controls={complete.open ? listId : undefined}
        aria-labelledby={`${id}-label`}
      >
        {complete.open && <MentionList id={listId} items={complete.items} active={complete.active} onPick={pick} />}
        <textarea
          ref={setField}
          id={id}
          rows={1}
          value={text}
          disabled={disabled !== null}
          placeholder={disabled ?? `Message ${roomName} (Enter to send, Shift+Enter for a new line)`}
          aria-autocomplete="list"
          aria-controls={complete.open ? listId : undefined}
          aria-activedescendant={complete.open ? mentionOptionId(listId, complete.active) : undefined}
          aria-describedby={`${id}-note`}
          onKeyDown={onKeyDown}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onChange={(event) => {
            setText(event.target.value);
            setCaret(event.target.selectionStart);
            if (event.target.value) typing.keystroke();
            else typing.stop();
          }}
        />
      </div>
      <button type="submit" disabled={disabled !== null || !text.trim()}>
        Send
      </button>
      <p className="composer-note small" id={`${id}-note`} aria-live="polite" data-testid="mention-note">
        {note}
      </p>
    </form>
  );
}
