'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';

/** The server ends typing after 5 s and says so; this only covers a lost "stopped". */
const FALLBACK_MS = 7_000;

/** Who is typing in a room, from `typing` events. */
export function useTyping() {
  const [until, setUntil] = useState<ReadonlyMap<string, number>>(() => new Map());

  const set = useCallback((userId: string, typing: boolean) => {
    setUntil((current) => {
      if (!typing && !current.has(userId)) return current;
      const next = new Map(current);
      if (typing) next.set(userId, Date.now() + FALLBACK_MS);
      else next.delete(userId);
      return next;
    });
  }, []);

  useEffect(() => {
    if (until.size === 0) return;
    const timer = setInterval(() => {
      const now = Date.now();
      setUntil((current) => {
        const next = new Map([...current].filter(([, expires]) => expires > now));
        return next.size === current.size ? current : next;
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [until.size]);

  const ids = useMemo(() => [...until.keys()], [until]);
  return { ids, set };
}
