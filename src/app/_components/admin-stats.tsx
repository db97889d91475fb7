'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../trpc/react.tsx';
import { ErrorNote } from './error-note.tsx';

const uptime = (seconds: number) => {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h} h ${m} min` : m ? `${m} min ${seconds % 60} s` : `${seconds} s`;
};

/** Live figures, polled every second while the tab is shown. */
export function AdminStats() {
  const trpc = useTRPC();
  const stats = useQuery({ ...trpc.admin.stats.queryOptions(), refetchInterval: 1000 });
  if (stats.error) return <ErrorNote error={stats.error} />;
  if (!stats.data) return <p className="muted">Loading…</p>;
  const s = stats.data;
  const figures = [
    ['connections', 'WebSocket connections', s.connections],
    ['subscriptions', 'Live subscriptions', s.subscriptions],
    ['messages-per-second', 'Messages per second (10 s average)', s.messagesPerSecond.toFixed(1)],
    ['messages-total', 'Messages since start', s.messagesTotal],
    ['users', 'Users', s.users],
    ['rooms', 'Rooms', s.rooms],
    ['uptime', 'Uptime', uptime(s.uptimeSeconds)],
  ] as const;
  return (
    <dl className="stats" data-testid="admin-stats">
      {figures.map(([key, label, value]) => (
        <div key={key} className="stat">
          <dt>{label}</dt>
          <dd data-testid={`stat-${key}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
