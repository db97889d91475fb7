'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useHearth } from '../../trpc/react.tsx';
import { AdminRooms } from './admin-rooms.tsx';
import { AdminStats } from './admin-stats.tsx';
import { AdminUsers } from './admin-users.tsx';

const TABS = { users: 'Users', rooms: 'Rooms', stats: 'Server' } as const;
type Tab = keyof typeof TABS;

export function Admin() {
  const { me } = useHearth();
  const [tab, setTab] = useState<Tab>('users');
  if (me.role !== 'admin') {
    return (
      <main className="admin">
        <h1>Admin</h1>
        <p className="notice" role="alert">
          Admins only. <Link href="/">Back to chat</Link>
        </p>
      </main>
    );
  }
  return (
    <main className="admin">
      <header className="admin-header">
        <h1>Admin</h1>
        <Link href="/">← Back to chat</Link>
      </header>
      <div className="tabs" role="tablist" aria-label="Admin sections">
        {(Object.keys(TABS) as Tab[]).map((key) => (
          <button key={key} type="button" role="tab" aria-selected={tab === key} onClick={() => setTab(key)}>
            {TABS[key]}
          </button>
        ))}
      </div>
      <section role="tabpanel" aria-label={TABS[tab]}>
        {tab === 'users' && <AdminUsers />}
        {tab === 'rooms' && <AdminRooms />}
        {tab === 'stats' && <AdminStats />}
      </section>
    </main>
  );
}
