import { adminRouter } from './routers/admin.ts';
import { authRouter } from './routers/auth.ts';
import { contactsRouter } from './routers/contacts.ts';
import { eventsRouter } from './routers/events.ts';
import { messagesRouter } from './routers/messages.ts';
import { notificationsRouter } from './routers/notifications.ts';
import { pushRouter } from './routers/push.ts';
import { roomsRouter } from './routers/rooms.ts';
import { typingRouter } from './routers/typing.ts';
import { usersRouter } from './routers/users.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  rooms: roomsRouter,
  messages: messagesRouter,
  typing: typingRouter,
  events: eventsRouter,
  admin: adminRouter,
  contacts: contactsRouter,
  notifications: notificationsRouter,
  push: pushRouter,
});

/** The API's type: clients import this (type only) for end-to-end types. */
export type AppRouter = typeof appRouter;
