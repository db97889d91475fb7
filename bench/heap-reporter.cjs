// Preloaded (--require) into each server under test, so the bench can read the
// server's heap and CPU without any change to the server's code. The bench asks
// over the IPC channel; with --expose-gc it collects garbage first, so heap
// figures are live data, not whatever the collector has not reached yet.
'use strict';
if (typeof process.send === 'function') {
  process.on('message', (msg) => {
    if (!msg || msg.type !== 'bench:probe') return;
    if (msg.gc && typeof globalThis.gc === 'function') {
      globalThis.gc();
      globalThis.gc();
    }
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    process.send({
      type: 'bench:probe',
      id: msg.id,
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      external: mem.external,
      arrayBuffers: mem.arrayBuffers,
      cpuUs: cpu.user + cpu.system,
    });
  });
  // The channel must not keep the server alive; but if the bench dies, so do we.
  process.channel && process.channel.unref();
  process.on('disconnect', () => process.exit(0));
}
