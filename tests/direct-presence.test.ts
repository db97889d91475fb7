import { describe, expect, it } from 'vitest';
import type { UserStreamEvent } from '../src/server/realtime/user-stream.ts';
import { createRoom, people } from './helpers/chat.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer, type TestServer } from './helpers/server.ts';

/** A browser tab: an authenticated socket, opened by a first call over it. */
async function openTab(hearth: TestServer, token: string) {
  const tab = hearth.client({ token, transport: 'ws' });
  await tab.trpc.auth.me.query();
  return tab;
}

describe('presence in events.user', () => {
  it('tells me when the people of my direct rooms come and go, and nothing of other rooms', async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    await createRoom({ by: alice, members: [carol] }); // a closed room: Carol's coming and going is not told here

    const received: UserStreamEvent[] = [];
    const started = new Promise<void>((resolve) => {
      alice.connect().trpc.events.user.subscribe(undefined, { onStarted: () => resolve(), onData: (event) => void received.push(event) });
    });
    await started;
    await until(() => received.some((e) => e.type === 'unread'));
    const presence = () => received.flatMap((e) => (e.type === 'presence' ? [e] : []));

    const carolTab = await openTab(hearth, carol.token);
    const bobTab = await openTab(hearth, bob.token);
    await until(() => presence().some((e) => e.online.includes(bob.id)));
    await carolTab.close();
    await bobTab.close();
    await until(() => !presence().at(-1)!.online.includes(bob.id));

    // Carol came and went before Bob left: had her room's presence been told, it would be here by now.
    expect(presence().every((e) => e.roomId === direct.id)).toBe(true);
    // (Alice's own socket may announce her first: that event says nothing of Bob.)
    const bobOnline = presence().map((e) => e.online.includes(bob.id));
    expect(bobOnline.slice(bobOnline.indexOf(true))).toEqual([true, false]);
    expect(presence().at(-1)!.online).toEqual([alice.id]);
  });
});
