'use client';
import { useState, type CSSProperties, type KeyboardEvent } from 'react';
import { personColour } from '../../trpc/colours.ts';
import { describeError } from '../../trpc/errors.ts';
import { mentionsMe, resolvedMentions } from '../../trpc/mention-marks.ts';
import type { Named } from '../../trpc/people.ts';
import { useHearth } from '../../trpc/react.tsx';
import { useHide } from '../../trpc/use-contacts.ts';
import type { Message } from '../../trpc/timeline.ts';
import { formatFullDateTime, formatTime, initials } from './format.ts';
import { MessageText } from './message-text.tsx';
import { PeopleList, PersonName } from './person-name.tsx';

interface Props {
  message: Message;
  author: Named;
  mine: boolean;
  grouped: boolean;
  /** Who has read it (shown under my newest message only), else null. */
  seenBy: Named[] | null;
  onEdit(messageId: string, body: string): Promise<void>;
  onDelete(messageId: string): Promise<void>;
  /** Set (a fresh object each time) to open this message's editor from elsewhere: Up in an empty composer. */
  editRequest: EditRequest | null;
  /** An edit opened by request ended (saved or cancelled): focus goes back to where it came from. */
  onEditEnd(): void;
  /** Who a user id is, to name the members the message mentions. */
  personOf(userId: string): Named;
}

export interface EditRequest {
  messageId: string;
}

/** The message's time; hovering (or a screen reader) gives the full date and time, in the viewer's zone. */
export function MessageTime({ at, className }: { at: string; className?: string }) {
  return (
    <time dateTime={at} title={formatFullDateTime(at)} className={className}>
      {formatTime(at)}
    </time>
  );
}

export function Header({ author, authorId, createdAt, edited }: { author: Named; authorId: string; createdAt?: string; edited?: boolean }) {
  const colour = personColour(authorId);
  return (
    <div className="message-meta">
      <strong className="author" data-testid="author" style={{ '--person-light': colour.light, '--person-dark': colour.dark } as CSSProperties}>
        <PersonName person={author} />
      </strong>
      {createdAt && <MessageTime at={createdAt} />}
      {edited && <span className="muted small">(edited)</span>}
    </div>
  );
}

export function MessageItem({ message, author, mine, grouped, seenBy, onEdit, onDelete, editRequest, onEditEnd, personOf }: Props) {
  const { me } = useHearth();
  const mentions = resolvedMentions(message, (userId) => personOf(userId).username, me.username);
  const forMe = !mine && mentionsMe(message, me.id);
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete' | 'confirm-hide'>('view');
  const hide = useHide();
  const [draft, setDraft] = useState(message.body);
  const [error, setError] = useState<string | null>(null);
  const [request, setRequest] = useState<EditRequest | null>(null);
  const [requested, setRequested] = useState(false);
  if (editRequest !== request) {
    setRequest(editRequest);
    if (editRequest?.messageId === message.id) {
      setDraft(message.body);
      setMode('edit');
      setRequested(true);
    }
  }
  const toView = () => {
    setMode('view');
    if (requested) {
      setRequested(false);
      onEditEnd();
    }
  };

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
      toView();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const onEditKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      toView();
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void run(() => onEdit(message.id, draft));
    }
  };

  return (
    <li
      className={`message${mine ? ' mine' : ''}${grouped ? ' grouped' : ''}${forMe ? ' mentions-me' : ''}`}
      data-testid="message"
      data-seq={message.seq}
      data-status="sent"
      data-author={author.displayName}
      data-mentions-me={forMe}
    >
      {grouped ? (
        <MessageTime at={message.createdAt} className="gutter-time" />
      ) : (
        <span className="avatar" aria-hidden="true">
          {initials(author.displayName)}
        </span>
      )}
      <div className="message-main">
        {!grouped && <Header author={author} authorId={message.authorId} createdAt={message.createdAt} edited={message.editedAt !== null} />}
        {forMe && <span className="sr-only">Mentions you.</span>}
        {mode === 'edit' ? (
          <div className="edit">
            <label className="sr-only" htmlFor={`edit-${message.id}`}>
              Edit message
            </label>
            <textarea id={`edit-${message.id}`} value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={onEditKey} autoFocus />
            <span className="actions">
              <button type="button" className="small" onClick={() => void run(() => onEdit(message.id, draft))}>
                Save
              </button>
              <button type="button" className="ghost small" onClick={toView}>
                Cancel
              </button>
            </span>
          </div>
        ) : (
          <p className="message-body" data-testid="message-body">
            <MessageText text={message.body} mentions={mentions} />
            {grouped && message.editedAt && <span className="muted small"> (edited)</span>}
          </p>
        )}
        {mode === 'view' && (
          <span className="actions on-hover">
            {mine && (
              <>
                <button type="button" className="ghost small" onClick={() => (setDraft(message.body), setMode('edit'))} aria-label="Edit message">
                  Edit
                </button>
                <button type="button" className="ghost small" onClick={() => setMode('confirm-delete')} aria-label="Delete message">
                  Delete
                </button>
              </>
            )}
            <button type="button" className="ghost small" onClick={() => setMode('confirm-hide')}>
              Delete for me
            </button>
          </span>
        )}
        {mode === 'confirm-hide' && (
          <span className="actions">
            Delete this message for you only? The others keep it.
            <button type="button" className="danger small" onClick={() => void run(() => hide.message(message.roomId, message.id))}>
              Delete for me
            </button>
            <button type="button" className="ghost small" onClick={() => setMode('view')}>
              Keep
            </button>
          </span>
        )}
        {mode === 'confirm-delete' && (
          <span className="actions">
            Delete this message for everyone?
            <button type="button" className="danger small" onClick={() => void run(() => onDelete(message.id))}>
              Delete
            </button>
            <button type="button" className="ghost small" onClick={() => setMode('view')}>
              Keep
            </button>
          </span>
        )}
        {error && (
          <p className="error small" role="alert">
            {error}
          </p>
        )}
        {seenBy && (
          <p className="receipt small muted" data-testid="seen-by">
            {seenBy.length ? (
              <>
                Seen by <PeopleList people={seenBy} />
              </>
            ) : (
              'Sent'
            )}
          </p>
        )}
      </div>
    </li>
  );
}
