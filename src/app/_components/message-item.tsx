'use client';
import { useState, type KeyboardEvent } from 'react';
import { describeError } from '../../trpc/errors.ts';
import type { Named } from '../../trpc/people.ts';
import type { Message } from '../../trpc/timeline.ts';
import { formatDateTime, formatTime, initials } from './format.ts';
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
}

export function Header({ author, createdAt, edited }: { author: Named; createdAt?: string; edited?: boolean }) {
  return (
    <div className="message-meta">
      <strong className="author">
        <PersonName person={author} />
      </strong>
      {createdAt && (
        <time dateTime={createdAt} title={formatDateTime(createdAt)}>
          {formatTime(createdAt)}
        </time>
      )}
      {edited && <span className="muted small">(edited)</span>}
    </div>
  );
}

export function MessageItem({ message, author, mine, grouped, seenBy, onEdit, onDelete }: Props) {
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const [draft, setDraft] = useState(message.body);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
      setMode('view');
    } catch (err) {
      setError(describeError(err));
    }
  };
  const onEditKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') setMode('view');
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void run(() => onEdit(message.id, draft));
    }
  };

  return (
    <li
      className={`message${mine ? ' mine' : ''}${grouped ? ' grouped' : ''}`}
      data-testid="message"
      data-seq={message.seq}
      data-status="sent"
      data-author={author.displayName}
    >
      <span className="avatar" aria-hidden="true">
        {grouped ? '' : initials(author.displayName)}
      </span>
      <div className="message-main">
        {!grouped && <Header author={author} createdAt={message.createdAt} edited={message.editedAt !== null} />}
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
              <button type="button" className="ghost small" onClick={() => setMode('view')}>
                Cancel
              </button>
            </span>
          </div>
        ) : (
          <p className="message-body" data-testid="message-body">
            <MessageText text={message.body} />
            {grouped && message.editedAt && <span className="muted small"> (edited)</span>}
          </p>
        )}
        {mine && mode === 'view' && (
          <span className="actions on-hover">
            <button type="button" className="ghost small" onClick={() => (setDraft(message.body), setMode('edit'))} aria-label="Edit message">
              Edit
            </button>
            <button type="button" className="ghost small" onClick={() => setMode('confirm-delete')} aria-label="Delete message">
              Delete
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
