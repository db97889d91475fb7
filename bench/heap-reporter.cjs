// Preloaded (--require) into each server under test, so the bench can read the
// server's heap and CPU without any change to the server's code. The bench asks
// over the IPC channel; with --expose-gc it collects garbage first, so heap
// figures are live data, not whatever the collector has not reached yet.
// Only calls that need no file descriptor: at 20,000 sockets the server has
// none to spare (process.memoryUsage() opens /proc/self/statm and throws
// EMFILE there). RSS is read by the bench from /proc/<pid>/status instead.
'use strict';
const v8 = require('node:v8');

if (typeof process.send === 'function') {
  process.on('message', (msg) => {
    if (!msg || msg.type !== 'bench:probe') return;
    try {
      if (msg.gc && typeof globalThis.gc === 'function') {
        globalThis.gc();
        globalThis.gc();
        // `--profile DIR` also asks for a heap snapshot at every measured point.
        const dir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
        if (dir) v8.writeHeapSnapshot(require('node:path').join(dir, `heap-${process.pid}-${msg.id}.heapsnapshot`));
      }
      const heap = v8.getHeapStatistics();
      const cpu = process.cpuUsage();
      process.send({
        type: 'bench:probe',
        id: msg.id,
        heapUsed: heap.used_heap_size,
        external: heap.external_memory,
        cpuUs: cpu.user + cpu.system,
      });
    } catch (error) {
      process.send({ type: 'bench:probe', id: msg.id, error: String(error && error.message) });
    }
  });
  // The channel must not keep the server alive; but if the bench dies, so do we.
  if (process.channel) process.channel.unref();
  process.on('disconnect', () => process.exit(0));
}
