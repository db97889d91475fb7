// Hearth's service worker: Web Push only (no caching, no fetch handler, so
// pages always come from the server). The payload is what the server's push
// dispatcher sends (src/server/push/payload.ts): { notificationId, title, body, url }.

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  event.waitUntil(show(event.data));
});

async function show(data) {
  let payload = {};
  try {
    payload = data ? data.json() : {};
  } catch {
    // Not ours, or mangled: still a visible notification, as userVisibleOnly promised the browser.
  }
  const title = typeof payload.title === 'string' && payload.title ? payload.title : 'Hearth';
  const body = typeof payload.body === 'string' ? payload.body : '';
  const url = sameOrigin(payload.url);
  // The tag is the notification's id: an updated notification (one more message in the room) replaces the shown one.
  const tag = typeof payload.notificationId === 'string' ? payload.notificationId : undefined;
  await self.registration.showNotification(title, { body, tag, data: { url } });
}

/** Only a path on this site is opened: a push cannot send the person elsewhere. */
function sameOrigin(url) {
  try {
    const target = new URL(typeof url === 'string' ? url : '/', self.location.origin);
    return target.origin === self.location.origin ? target.href : self.location.origin + '/';
  } catch {
    return self.location.origin + '/';
  }
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openUrl(event.notification.data?.url ?? '/'));
});

/**
 * Focuses a tab of Hearth if one is open: the chat page opens the room itself
 * (use-push-clicks.ts: no reload, its state kept); another page of Hearth is
 * taken to the url. With no tab open, one is opened.
 */
async function openUrl(url) {
  const tabs = (await self.clients.matchAll({ type: 'window', includeUncontrolled: true })).filter(
    (client) => new URL(client.url).origin === self.location.origin,
  );
  const chat = tabs.find((client) => new URL(client.url).pathname === '/');
  if (chat) {
    await chat.focus();
    chat.postMessage({ type: 'hearth.open', url });
    return chat;
  }
  if (tabs[0] && 'navigate' in tabs[0]) {
    await tabs[0].focus();
    return tabs[0].navigate(url).catch(() => self.clients.openWindow(url));
  }
  return self.clients.openWindow(url);
}
