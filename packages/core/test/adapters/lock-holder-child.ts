// Holds a file state store open with a short lease (renewed on real timers) until killed; prints
// "ready" once the store is open.

import { openFileStateStore } from '@railyard/core/adapters';

const [dir, lease] = process.argv.slice(2);
if (!dir || !lease) throw new Error('usage: lock-holder-child <dir> <leaseMs>');
await openFileStateStore({ dir, lockLeaseMs: Number(lease) });
process.stdout.write('ready\n');
setInterval(() => undefined, 60_000); // stay alive: the store's own timer does not
