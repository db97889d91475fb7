'use client';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { nameAndHandle } from '../../trpc/people.ts';
import { useRoomPanel } from '../../trpc/use-room-panel.ts';
import type { Member } from '../../trpc/use-rooms.ts';
import { ConfirmDialog, type Confirming } from './confirm-dialog.tsx';
import { ReachNote } from './contact-request.tsx';
import { DirectActions } from './direct-actions.tsx';
import { ErrorNote } from './error-note.tsx';
import { NotifyLevel } from './notify-level.tsx';
import { PersonName } from './person-name.tsx';

interface Props {
  roomId: string;
  kind: 'open' | 'closed' | 'direct';
  name: string;
  topic: string;
  archived: boolean;
  members: readonly Member[];
  online: readonly string[];
  onClose(): void;
}

/**
 * The room's people and details, beside the timeline (full screen on narrow
 * screens). Everyone sees the members and may add people and leave; room
 * admins rename, set the topic, change roles, remove people and archive.
 */
export function RoomPanel({ roomId, kind, name, topic, archived, members, online, onClose }: Props) {
  const panel = useRoomPanel(roomId, members);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const direct = kind === 'direct';
  const manage = panel.canManage && !direct;

  const saveName = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void panel.saveDetails({ name: String(new FormData(event.currentTarget).get('name') ?? '') }).catch(() => undefined);
  };
  const saveTopic = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void panel.saveDetails({ topic: String(new FormData(event.currentTarget).get('topic') ?? '') }).catch(() => undefined);
  };

  return (
    <aside
      className="room-panel"
      aria-label="Room details"
      data-testid="room-panel"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !confirming) onClose();
      }}
    >
      <header className="room-panel-header">
        <h2>{direct ? 'People' : 'Room details'}</h2>
        <button type="button" className="ghost" ref={closeRef} onClick={onClose} aria-label="Close room details">
          ✕
        </button>
      </header>

      {!direct && (
        <section aria-label="About this room" className="room-panel-section">
          {manage && !archived ? (
            <>
              <form onSubmit={saveName} key={`name-${name}`}>
                <label>
                  Room name
                  <input name="name" defaultValue={name} required maxLength={80} />
                </label>
                <button type="submit" className="small" disabled={panel.saving}>
                  Rename
                </button>
              </form>
              <form onSubmit={saveTopic} key={`topic-${topic}`}>
                <label>
                  Topic
                  <input name="topic" defaultValue={topic} maxLength={250} placeholder="What this room is for" />
                </label>
                <button type="submit" className="small" disabled={panel.saving}>
                  Set topic
                </button>
              </form>
              <ErrorNote error={panel.detailsError} />
            </>
          ) : (
            <p>{topic ? topic : <span className="muted">No topic.</span>}</p>
          )}
        </section>
      )}

      <NotifyLevel roomId={roomId} kind={kind} />

      <section aria-labelledby={`${roomId}-members`} className="room-panel-section">
        <h3 id={`${roomId}-members`}>
          {members.length} member{members.length === 1 ? '' : 's'}
        </h3>
        <ul className="member-list" aria-label="Members" data-testid="member-list">
          {members.map((member) => {
            const isOnline = online.includes(member.userId);
            const who = nameAndHandle(member);
            const mine = member.userId === panel.meId;
            const role = member.role === 'admin' ? 'member' : 'admin';
            return (
              <li key={member.userId} data-testid="member" data-username={member.username}>
                <span className={isOnline ? 'dot' : 'dot off'} aria-hidden="true" />
                <span className="sr-only">{isOnline ? 'online' : 'offline'}</span>
                <PersonName person={member} />
                {member.role === 'admin' && !direct && <span className="tag">admin</span>}
                {manage && !archived && (
                  <span className="member-actions">
                    <button
                      type="button"
                      className="ghost small"
                      aria-label={`${role === 'admin' ? 'Make admin' : 'Make member'}: ${who}`}
                      onClick={() =>
                        setConfirming({
                          title: role === 'admin' ? 'Make room admin?' : 'Make member?',
                          body: (
                            <p>
                              <PersonName person={member} />{' '}
                              {role === 'admin' ? 'will be able to rename, archive and manage members of this room.' : 'will no longer manage this room.'}
                            </p>
                          ),
                          confirm: role === 'admin' ? 'Make admin' : 'Make member',
                          run: () => panel.setRole(member.userId, role),
                        })
                      }
                    >
                      {role === 'admin' ? 'Make admin' : 'Make member'}
                    </button>
                    {!mine && (
                      <button
                        type="button"
                        className="ghost small"
                        aria-label={`Remove ${who}`}
                        onClick={() =>
                          setConfirming({
                            title: 'Remove from room?',
                            body: (
                              <p>
                                <PersonName person={member} /> will no longer see this room. Someone can add them back.
                              </p>
                            ),
                            confirm: 'Remove',
                            run: () => panel.remove(member.userId),
                          })
                        }
                      >
                        Remove
                      </button>
                    )}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </section>

      {!direct && !archived && (
        <section aria-label="Add people" className="room-panel-section">
          <label>
            Add people
            <input type="search" value={panel.query} onChange={(e) => panel.setQuery(e.target.value)} placeholder="Name or username" />
          </label>
          <ErrorNote error={panel.searchError} />
          {panel.searching && panel.candidates.length === 0 && <p className="muted small">Nobody else matches.</p>}
          <ul className="pick-list" aria-label="People to add">
            {panel.candidates.map((user) => (
              <li key={user.id}>
                <PersonName person={user} />
                <button type="button" className="small" disabled={panel.adding} onClick={() => panel.add(user.id)} aria-label={`Add ${nameAndHandle(user)}`}>
                  Add
                </button>
              </li>
            ))}
          </ul>
          <ReachNote error={panel.addError} people={panel.candidates} what="invitations" onAccepted={panel.add} />
        </section>
      )}

      {direct && <DirectActions roomId={roomId} members={members} meId={panel.meId} onConfirm={setConfirming} />}

      {!direct && (
        <section aria-label="Leave or archive" className="room-panel-section room-panel-actions">
          <button
            type="button"
            className="danger small"
            onClick={() =>
              setConfirming({
                title: 'Leave this room?',
                body: <p>{kind === 'closed' ? 'It is closed: only a member can add you back.' : 'You can join it again from Browse rooms.'}</p>,
                confirm: 'Leave room',
                run: () => panel.leave(),
              })
            }
          >
            Leave room
          </button>
          {manage && (
            <button
              type="button"
              className="small"
              onClick={() =>
                setConfirming({
                  title: archived ? 'Unarchive this room?' : 'Archive this room?',
                  body: <p>{archived ? 'Members can write in it again.' : 'It stays readable, but nobody can write in it until it is unarchived.'}</p>,
                  confirm: archived ? 'Unarchive' : 'Archive',
                  run: () => panel.archive(!archived),
                })
              }
            >
              {archived ? 'Unarchive room' : 'Archive room'}
            </button>
          )}
        </section>
      )}

      {confirming && (
        <ConfirmDialog title={confirming.title} confirm={confirming.confirm} onConfirm={confirming.run} onClose={() => setConfirming(null)}>
          {confirming.body}
        </ConfirmDialog>
      )}
    </aside>
  );
}
