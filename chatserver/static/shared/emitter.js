// @ts-check
// A tiny event emitter: each view subscribes to the topics it shows and redraws on emit.

/**
 * @typedef {object} Emitter
 * @property {(topic: string, fn: (detail?: any) => void) => void} on
 * @property {(topic: string, detail?: any) => void} emit
 */

/** @returns {Emitter} */
export function createEmitter() {
  /** @type {Map<string, Set<(detail?: any) => void>>} */
  const listeners = new Map();
  return {
    on(topic, fn) {
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(fn);
    },
    emit(topic, detail) {
      for (const fn of listeners.get(topic) || []) fn(detail);
    },
  };
}
