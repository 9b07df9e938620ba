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

// The app's module may come in two parts (scripts/split-wasm.sh): what the first run's page
// runs (the page as opened, `?run=` and `?open=`), and the rest ("later"), which the page
// fetches at once and compiles once that run is on screen (firstScreenShown). The first part then
// imports one placeholder per function of the later part, named by the function's slot in the shared function table. A
// link that opens another view (a comparison, the runs table, the workspace) or a shared
// archive needs the rest at once, so for it the app starts when both parts are in. Otherwise
// a placeholder runs only if the app calls later code before the later part is in: it links
// the part there and then (compiling it from the bytes if they are in, else fetching it with
// a synchronous request, the one way to wait on the network there), and the call goes on to
// the real function, now in that slot. Without placeholder imports (a one-part build, e.g.
// from `trunk serve` without a browser) nothing here takes effect.
// The manifest next to the page (what the app reads first when the address names no
// other with `?index=`) is requested now, not once the app's module has started (~80 ms
// later): the app takes this request instead of making its own (src/loader/fetch.rs). Its
// failure is the app's to report, so it is marked handled here.
if (!new URLSearchParams(window.location.search).has('index')) {
  const manifest = fetch('runs.json');
  manifest.catch(() => {});
  window.runlensEarlyFetch = { 'runs.json': manifest };
}

const appUrl = new URL('./runlens-web_bg.wasm', import.meta.url);
const laterUrl = new URL('./runlens-web_later.wasm', import.meta.url);
const needsWholeApp =
  /[?&](compare|workspace|view)=/.test(window.location.search) || window.location.hash.startsWith('#share=');

async function compileFrom(response) {
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${response.url}`);
  try {
    return await WebAssembly.compileStreaming(response.clone());
  } catch (e) {
    // Served without the application/wasm type: compile from the bytes instead.
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

// Resolves once the first run's title is on screen (the browser's Element Timing report of
// the title's `elementtiming` span), at the first key, pointer, drag or picked file, or after
// FIRST_SCREEN_WAIT_MS, whichever comes first; at once where Element Timing is not supported.
// The later part is compiled only then: on two cores its compile took the CPU the first run's
// frame needed (layout, raster), and the first run's page needs none of it.
// (scripts/split-wasm.mjs waits longer on its slower, instrumented build.)
const FIRST_SCREEN_WAIT_MS = window.runlensFirstScreenWaitMs ?? 1000;
function firstScreenShown() {
  const supported = typeof PerformanceObserver !== 'undefined'
    && (PerformanceObserver.supportedEntryTypes ?? []).includes('element');
  if (!supported) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new PerformanceObserver((list) => {
      if (list.getEntries().some((e) => e.identifier === 'run-title')) done();
    });
    const events = ['keydown', 'pointerdown', 'dragenter', 'change'];
    const timer = setTimeout(() => done(), FIRST_SCREEN_WAIT_MS);
    function done() {
      observer.disconnect();
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, done, true);
      resolve();
    }
    for (const e of events) window.addEventListener(e, done, true);
    observer.observe({ type: 'element', buffered: true });
  });
}

const firstScreen = needsWholeApp ? Promise.resolve() : firstScreenShown();

function splitLoader(module) {
  const slots = WebAssembly.Module.imports(module)
    .filter((i) => i.module === 'placeholder')
    .map((i) => i.name);
  if (slots.length === 0) return null;
  const state = { exports: null, later: null, bytes: null, compiled: null };
  const link = (laterModule) => {
    state.compiled = laterModule;
    if (!state.later && state.exports) {
      state.later = new WebAssembly.Instance(laterModule, { primary: state.exports });
    }
  };
  const fetchBytes = () => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', laterUrl, false);
    xhr.overrideMimeType('text/plain; charset=x-user-defined');
    xhr.send();
    if (xhr.status !== 200) throw new Error(`HTTP ${xhr.status} for ${laterUrl}`);
    const text = xhr.responseText;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return bytes;
  };
  const loadNow = () => {
    if (state.later) return;
    link(state.compiled ?? new WebAssembly.Module(state.bytes ?? fetchBytes()));
  };
  const placeholder = Object.create(null);
  for (const slot of slots) {
    const index = Number(slot);
    placeholder[slot] = (...args) => {
      loadNow();
      return state.exports.table.get(index)(...args);
    };
  }
  // The bytes are requested now (on a network they take the longest); they are compiled once
  // the first run is on screen.
  const bytes = fetch(laterUrl, { priority: needsWholeApp ? 'high' : 'low' }).then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const ready = Promise.all([bytes, firstScreen])
    .then(([b]) => {
      state.bytes = b;
      return WebAssembly.compile(b);
    })
    .then(link)
    .catch((e) => console.warn(`runlens: the later part of the app did not load in the background (${e.message}); it loads when first needed`));
  return {
    placeholder,
    ready,
    started(exports) {
      state.exports = exports;
      if (state.compiled) link(state.compiled);
    },
  };
}

try {
  // The module compiles while the glue is fetched and evaluated, not after.
  const compiling = fetch(appUrl).then(compileFrom);
  compiling.catch(() => {});
  const bindings = await import('./runlens-web.js');
  const module = await compiling;
  const split = splitLoader(module);
  // What the app waits for before the work it puts off until the first run is on screen
  // (src/shell/frames.rs): that, and the later part linked, so that this work does not
  // compile the later part on the page's thread.
  window.runlensFirstScreen = split ? split.ready : firstScreen;
  if (split) {
    if (needsWholeApp) await split.ready;
    // The glue instantiates the module with its own imports; add the placeholders to them.
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = async (m, imports) => {
      WebAssembly.instantiate = instantiate;
      const instance = await instantiate(m, { ...imports, placeholder: split.placeholder });
      split.started(instance.exports);
      return instance;
    };
  }
  await bindings.default({ module_or_path: module });
  window.wasmBindings = bindings;
} catch (e) {
  showFatal(`runlens could not start in this browser: ${e && e.message ? e.message : e}`);
}
