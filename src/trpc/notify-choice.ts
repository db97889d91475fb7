import { defaultLevel, type NotifyLevel } from '../shared/notify-levels.ts';

export type { NotifyLevel };

/** The choices of the room panel's "Notify me", in the words it shows. */
export const NOTIFY_CHOICES: ReadonlyArray<{ level: NotifyLevel; label: string }> = [
  { level: 'all', label: 'All messages' },
  { level: 'mentions', label: 'Mentions only' },
  { level: 'nothing', label: 'Nothing' },
];

/** What a room of this kind notifies until a level is chosen: the server's own rule. */
export const defaultNotifyLevel = defaultLevel;
