/**
 * A load-generator process, driven by the bench over IPC: it holds subscribed
 * sockets (Receivers), sends messages (runSends) or plays a reconnecting
 * client (recover). Each process uses its own loopback source address, so
 * tens of thousands of client sockets never run out of ephemeral ports.
 */
import { Receivers, type OpenRequest } from './receivers.ts';
import { recover, type RecoverPlan } from './recovery-client.ts';
import { runSends, type SendPlan } from './sender.ts';

const index = Number(process.env.LOADGEN_INDEX ?? 0);
const localAddress = `127.0.0.${10 + (index % 200)}`;
const receivers = new Receivers(localAddress);

/** What the bench may ask; arguments arrive as structured clones of these types. */
const commands = {
  open: (args: OpenRequest) => receivers.open(args),
  status: () => ({ ...receivers.status(), cpuUs: cpuUs() }),
  counts: () => receivers.counts(),
  stats: (args: { steps: number[]; forget?: boolean }) => receivers.stats(args.steps, args.forget ?? true),
  send: (args: SendPlan) => runSends(args, localAddress),
  recover: (args: RecoverPlan) => recover(args),
  cpu: () => cpuUs(),
  closeAll: () => receivers.closeAll(),
};

type Request = { id: number; cmd: string; args: unknown };

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

process.on('message', async ({ id, cmd, args }: Request) => {
  try {
    const run = (commands as Record<string, ((args: unknown) => unknown) | undefined>)[cmd];
    if (!run) throw new Error(`unknown command ${cmd}`);
    process.send!({ id, ok: true, result: await run(args) });
  } catch (error) {
    process.send!({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
// The bench went away: so do we (and our sockets with us).
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true, localAddress });
