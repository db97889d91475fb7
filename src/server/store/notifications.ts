/** The notification feed (chat/notifications.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the feed's work (issue 15)
export interface NotificationStore {}
