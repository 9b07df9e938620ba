// Starts the app. A file, not an inline script, so the page runs under a strict
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval': no inline code, no eval).
import init, * as bindings from './runlens-web.js';

await init({ module_or_path: new URL('./runlens-web_bg.wasm', import.meta.url) });
window.wasmBindings = bindings;
