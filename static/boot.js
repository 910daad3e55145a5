// Loads the wasm app without an inline script, so the Content-Security-Policy can forbid inline
// scripts entirely. Trunk writes the hashed file names into two <meta> tags (Trunk.toml,
// pattern_script); this module imports the wasm-bindgen glue and starts the app.
// Offline support: a service worker caches the app shell (static/sw.js). Registered first, so it
// installs while the page loads.
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((err) => {
    console.warn('Trailglass: offline support unavailable:', err);
  });
}

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content');
const js = meta('trailglass-js');
const wasm = meta('trailglass-wasm');
try {
  const glue = await import(js);
  await glue.default({ module_or_path: wasm });
} catch (err) {
  const box = document.getElementById('boot-error');
  if (box) {
    box.hidden = false;
    box.textContent = `Trailglass could not start: ${err}`;
  }
  throw err;
}
