import { EventEmitter } from 'node:events';

// One emitter per process: the console process and Next's route bundles each load this
// module, so it lives on a process-wide symbol.
const KEY = Symbol.for('meshward.token-revocations');
const g = globalThis as { [KEY]?: EventEmitter };
const bus = (g[KEY] ??= new EventEmitter().setMaxListeners(50));

/** Announces, after commit, that a proxy token no longer works. */
export function announceRevocation(tokenId: string) {
  bus.emit('revoked', tokenId);
}

export function onRevocation(listener: (tokenId: string) => void): () => void {
  bus.on('revoked', listener);
  return () => bus.off('revoked', listener);
}
