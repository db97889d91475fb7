/**
 * Notification levels, shared by the server (which decides who is notified)
 * and the web app (whose "Notify me" shows the default it would get).
 */
export const NOTIFY_LEVELS = ['all', 'mentions', 'nothing'] as const;
export type NotifyLevel = (typeof NOTIFY_LEVELS)[number];

/** What a membership without a chosen level gets: every direct message, and mentions elsewhere. */
export const defaultLevel = (kind: string): NotifyLevel => (kind === 'direct' ? 'all' : 'mentions');
