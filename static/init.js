// Starts the app. A file, not an inline script, so the page runs under a strict
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval': no inline code, no eval).
//
// It also owns the error banner: after a panic or a trap (an out-of-memory abort, say) the
// wasm instance cannot be trusted to run even a click handler, so the banner and its Reload
// button are plain DOM and plain JavaScript. The Rust panic hook calls `runlensFatal` with
// the panic message; a trap that bypasses the hook is caught from the error events.

function showFatal(detail) {
  if (document.getElementById('panic-banner')) return;
  const banner = document.createElement('div');
  banner.id = 'panic-banner';
  banner.setAttribute('role', 'alert');
  const text = document.createElement('span');
  text.textContent =
    'runlens hit an internal error and stopped. Your files were not changed; reload to go on. ';
  banner.append(text);
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Reload';
  button.addEventListener('click', () => window.location.reload());
  banner.append(button);
  if (detail) {
    const more = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'Details';
    const pre = document.createElement('pre');
    pre.textContent = String(detail).slice(0, 4000);
    more.append(summary, pre);
    banner.append(more);
  }
  (document.body ?? document.documentElement).prepend(banner);
  button.focus();
}

window.runlensFatal = showFatal;

const isTrap = (e) => typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError;
window.addEventListener('error', (ev) => {
  if (isTrap(ev.error)) showFatal(ev.error.message);
});
window.addEventListener('unhandledrejection', (ev) => {
  if (isTrap(ev.reason)) showFatal(ev.reason.message);
});

try {
  const bindings = await import('./runlens-web.js');
  await bindings.default({ module_or_path: new URL('./runlens-web_bg.wasm', import.meta.url) });
  window.wasmBindings = bindings;
} catch (e) {
  showFatal(`runlens could not start in this browser: ${e && e.message ? e.message : e}`);
}
