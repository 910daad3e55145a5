// Shared by scripts/bench-browser.mjs and its modules.

/** `promise`, or a rejection saying what timed out after `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, no) => { timer = setTimeout(() => no(new Error(`timed out after ${Math.round(ms / 1000)} s: ${what}`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}
