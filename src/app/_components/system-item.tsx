'use client';
import { noticeWords } from '../../trpc/notices.ts';
import type { Named } from '../../trpc/people.ts';
import type { RoomNotice } from '../../trpc/timeline.ts';
import { PersonName } from './person-name.tsx';

/** A membership or room change, as a quiet row between the messages ("Alice added Carol"). */
export function SystemItem({ notice, personOf }: { notice: RoomNotice; personOf(userId: string): Named }) {
  const words = noticeWords(notice, personOf);
  return (
    <li className="system-item" data-testid="system-item">
      {words.actor ? <PersonName person={words.actor} /> : 'Someone'} {words.text}
      {words.subject && (
        <>
          {' '}
          <PersonName person={words.subject} />
        </>
      )}
      {words.rest && ` ${words.rest}`}
    </li>
  );
}
