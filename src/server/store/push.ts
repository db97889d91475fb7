/** Web Push subscriptions and the server's kept settings (push/). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the push work (issue 15)
export interface PushStore {}
