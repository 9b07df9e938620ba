// Browser end-to-end tests for hostile and bad input.
//
// Run from the project root after `trunk build --release`:
//   node --test tests/e2e/hostile.test.mjs
//   RUNLENS_E2E_DIST=/tmp/e2e-dist node --test tests/e2e/hostile.test.mjs   # another build
//
// 1. Script injection: a corpus of payloads (script tags, event-handler attributes, javascript:
//    / data: / vbscript: URLs in HTML and Markdown, comment and <pre> breakouts, template syntax,
//    CSS, meta refresh, base, form, object, embed, MathML/SVG, escapes, a very long attribute)
//    is placed in every kind of field of a sample archive, which is then opened by drop, by
//    paste, by share link and in a comparison with the original. After each: no dialog, no
//    `window.__pwned`, no on* attribute, no javascript:/data:/vbscript: URL, no script or
//    embedding element the app did not ship, a clean lineage SVG, and the payloads shown as text.
// 2. Bad input (one test per kind, see BAD_INPUTS.md): each shows a clear message naming the
//    file or URL and the problem, keeps what is valid, and the app keeps working (a bundled run
//    still opens from the runs list).
//
// Same conventions as app.test.mjs and charts.test.mjs: headless /usr/bin/chromium through
// playwright-core, files served by ./server.mjs, a fresh browser context per test, a test fails
// on any uncaught page error, no fixed sleeps (every wait is on something the page shows).
// Expected values come from the sample archives (static/samples/), their curve files and the
// curve oracles (tests/fixtures/oracle/).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, CORS_BLOCKED_PATH } from './server.mjs';
import {
  DIST,
  SAMPLES,
  alerts,
  browserSession,
  byteRe,
  bytesFile,
  csvDataRows,
  curveOf,
  distIsBuilt,
  download,
  dropFiles,
  eventRecords,
  expandAll,
  grouped,
  nextFrame,
  metric,
  newRunId,
  openDefault,
  readOracle,
  sampleRun,
  sharePayload,
  textFile,
  waitIdle,
  waitInView,
  waitListed,
  waitLoadError,
  waitRun,
  watchDialogs,
  withRunId,
  BUNDLED_IDS,
  CLI,
  norm,
  sectionText,
  field,
  stepField,
} from './helpers.mjs';

const LOAD_TIMEOUT = 30_000; // app start, one archive or curve load
const SETTLED_TIMEOUT = 10_000; // content expected right after an action
const TEST_TIMEOUT = 60_000;

// ---------------------------------------------------------------------------------------------
// Fixtures

const A1F3 = sampleRun('20251103-0853-a1f3'); // success; TensorBoard curves for CPT (step 2) and SFT (step 5)
const B7C2 = sampleRun('20251110-1420-b7c2'); // success; SFT curve is a CSV export
const C9D4 = sampleRun('20251112-2201-c9d4'); // failed
const BUNDLED = [A1F3, B7C2, C9D4];

const LOSS = 'lm_loss';

// ---------------------------------------------------------------------------------------------
// The script-injection corpus. Each payload sets `window.__pwned = <n>` or calls alert(<n>)
// when it runs; <n> is its number (1-based).

const LONG = 'A'.repeat(20_000);
const PAYLOAD_MAKERS = [
  (n) => `<script>window.__pwned=${n}</script>`,
  (n) => `<img src=x onerror="window.__pwned=${n}">`,
  (n) => `<svg onload="window.__pwned=${n}"><circle r=4></circle></svg>`,
  (n) => `<body onload="window.__pwned=${n}">`,
  (n) => `<details open ontoggle="window.__pwned=${n}">toggle${n}</details>`,
  (n) => `<video src=x onerror="window.__pwned=${n}"></video>`,
  (n) => `<audio src=x onerror="window.__pwned=${n}"></audio>`,
  (n) => `<iframe srcdoc="<script>parent.__pwned=${n}</script>"></iframe>`,
  (n) => `<a href="javascript:window.__pwned=${n}">link${n}</a>`,
  (n) => `<a href=" &#14; JaVa&#x09;ScRiPt&colon;window.__pwned=${n}">mixed${n}</a>`,
  (n) => `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.__pwned=${n}">entities${n}</a>`,
  (n) => `<a href="data:text/html,<script>parent.__pwned=${n}</script>">data${n}</a>`,
  (n) => `<a href="vbscript:window.__pwned=${n}">vb${n}</a>`,
  (n) => `[md-link-${n}](javascript:window.__pwned=${n})`,
  (n) => `![md-img-${n}](javascript:window.__pwned=${n})`,
  (n) => `[md-data-${n}](data:text/html,%3Cscript%3Eparent.__pwned=${n}%3C/script%3E)`,
  (n) => `--><script>window.__pwned=${n}</script><!--`,
  (n) => `</pre><script>window.__pwned=${n}</script><pre>`,
  (n) => `{{constructor.constructor('window.__pwned=${n}')()}}`,
  (n) => `\${window.__pwned=${n}}`,
  (n) => `<%= window.__pwned=${n} %>`,
  (n) => `<div style="width:expression(window.__pwned=${n})">css${n}</div>`,
  (n) => `<div style="background:url(javascript:window.__pwned=${n})">bg${n}</div>`,
  (n) => `<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=${n}">`,
  (n) => `<base href="javascript:window.__pwned=${n}//">`,
  (n) => `<form action="javascript:window.__pwned=${n}"><button>go${n}</button></form>`,
  (n) => `<button formaction="javascript:window.__pwned=${n}">fa${n}</button>`,
  (n) => `<object data="javascript:window.__pwned=${n}"></object>`,
  (n) => `<embed src="javascript:window.__pwned=${n}">`,
  (n) => `<math><maction actiontype="statusline" xlink:href="javascript:window.__pwned=${n}">m${n}</maction></math>`,
  (n) => `<svg><script>window.__pwned=${n}</script></svg>`,
  (n) => `<svg><a xlink:href="javascript:window.__pwned=${n}"><text>s${n}</text></a></svg>`,
  (n) => `<svg><animate onbegin="window.__pwned=${n}" attributeName=x dur=1s></animate></svg>`,
  (n) => `\\u003cimg src=x onerror=window.__pwned=${n}\\u003e`,
  (n) => `\\x3cscript\\x3ewindow.__pwned=${n}\\x3c/script\\x3e`,
  (n) => `＜script＞window.__pwned=${n}＜/script＞`,
  (n) => `<scr\\0ipt>window.__pwned=${n}</scr\\0ipt>&#0;<img src=x one&#0;rror=window.__pwned=${n}>`,
  (n) => `<img src=x title="${LONG}" onerror="window.__pwned=${n}">`,
  (n) => `"><script>window.__pwned=${n}</script>`,
  (n) => `'><img src=x onerror=window.__pwned=${n}>`,
  (n) => `<input autofocus onfocus="window.__pwned=${n}">`,
  (n) => `<marquee onstart="window.__pwned=${n}">m${n}</marquee>`,
  (n) => `<noscript><p title="</noscript><img src=x onerror=window.__pwned=${n}>"></noscript>`,
  (n) => `<style>@import 'javascript:window.__pwned=${n}';</style>`,
  (n) => `<link rel=stylesheet href="javascript:window.__pwned=${n}">`,
  (n) => `<img src=x onerror=alert(${n})>`,
  (n) => `<svg/onload=window.__pwned=${n}>`,
  (n) => `<img/src=x/onerror=window.__pwned=${n}>`,
  (n) => `javascript:window.__pwned=${n}`,
  (n) => `&lt;script&gt;window.__pwned=${n}&lt;/script&gt;`,
];
const PAYLOADS = PAYLOAD_MAKERS.map((make, i) => make(i + 1));
/** Payloads usable as a `key:` (a key is one word: no white space, no ": "). */
const KEY_PAYLOADS = PAYLOADS.filter((p) => !/\s|: /.test(p));

/**
 * A1F3's archive under a new run id with payloads in every kind of field. Returns
 * `{ id, text, placed }`: `placed` lists `{ where, sel, payload }` (`sel` is where the page
 * should show it as text, when that place is certain).
 */
function hostileArchive(id) {
  let text = withRunId(A1F3, id);
  const placed = [];
  let vi = 0;
  let ki = 0;
  const value = (where, sel = null) => {
    const p = PAYLOADS[vi++ % PAYLOADS.length];
    placed.push({ where, sel, payload: p });
    return p;
  };
  const key = (where, sel = null) => {
    const p = KEY_PAYLOADS[ki++ % KEY_PAYLOADS.length];
    placed.push({ where: `${where} (key)`, sel, payload: p });
    return p;
  };
  const edit = (re, fn, what) => {
    assert.match(text, re, `hostile archive: cannot place a payload in ${what}`);
    text = text.replace(re, fn);
  };
  /** Insert `lines` after the line matching `re`. */
  const after = (re, lines, what) => edit(re, (m) => `${m}\n${lines.join('\n')}`, what);

  // Summary: values, and a key the template does not know.
  edit(/^- host: .*$/m, () => `- host: ${value('summary host', '#sec-summary')}`, 'summary host');
  edit(/^- user: .*$/m, () => `- user: ${value('summary user', '#sec-summary')}`, 'summary user');
  edit(/^- os: .*$/m, () => `- os: ${value('summary os')}`, 'summary os');
  edit(/^- conda_env: .*$/m, () => `- conda_env: ${value('summary conda_env')}`, 'summary conda_env');
  edit(/^- gpus: .*$/m, (m) => `${m}\n- ${key('summary unknown key')}: ${value('summary unknown key value')}`, 'summary');
  // Dependencies: a row of payloads, and a version cell.
  edit(/^\| vllm \| [^|]*\|/m, () => `| vllm | ${value('dependency version', '#sec-dependencies')} |`, 'vllm version');
  after(/^\| deepspeed \| .*$/m, [`| ${value('dependency name', '#sec-dependencies')} | ${value('dependency version (new row)')} |`], 'dependencies');
  // Config snapshot: keys and values at both levels.
  edit(/^- pipeline_config: .*$/m, () => `- pipeline_config: ${value('config pipeline_config')}`, 'pipeline_config');
  edit(/^ {2}EXP_NAME: .*$/m, () => `  EXP_NAME: ${value('config EXP_NAME')}`, 'EXP_NAME');
  after(/^ {2}SEED: .*$/m, [`  ${key('config pipeline_resolved')}: ${value('config pipeline_resolved value')}`], 'pipeline_resolved');
  after(/^ {4}prompt_type: qwen$/m, [`    ${key('config steps_resolved')}: ${value('config steps_resolved value')}`], 'steps_resolved');
  // Paths, data snapshot, data copy (every cell, the note included).
  edit(/^- workdir: .*$/m, () => `- workdir: ${value('paths workdir')}`, 'workdir');
  after(/^- logs_root: .*$/m, [`- ${key('paths')}: ${value('paths value')}`], 'paths');
  edit(/^- raw_cpt_dir: .*$/m, () => `- raw_cpt_dir: ${value('data snapshot raw_cpt_dir')}`, 'raw_cpt_dir');
  edit(/^- merged_sft: .*$/m, () => `- merged_sft: ${value('data snapshot merged_sft')}`, 'merged_sft');
  after(
    /^\| \/mnt\/shared\/sft\/med_alpaca_v2 .*$/m,
    [`| ${value('data copy source')} | ${value('data copy destination')} | 3 | 1 | ${value('data copy note')} |`],
    'data copy',
  );
  // Step 1: name, stage, status, config, inputs/outputs/params/metrics keys and values, logs.
  const s1 = (re, fn, what) => edit(new RegExp(`(- step_id: 1\\n[\\s\\S]*?)${re.source}`, 'm'), (_, head) => head + fn(), what);
  s1(/^ {2}name: tokenize$/m, () => `  name: ${value('step name', '#step-1')}`, 'step 1 name');
  s1(/^ {2}stage: cpt$/m, () => `  stage: ${value('step stage')}`, 'step 1 stage');
  s1(/^ {2}status: success$/m, () => `  status: ${value('step status')}`, 'step 1 status');
  s1(/^ {2}config: .*$/m, () => `  config: ${value('step config')}`, 'step 1 config');
  s1(/^ {4}raw_dir: .*$/m, () => `    raw_dir: ${value('step inputs value')}\n    ${key('step inputs')}: x`, 'step 1 inputs');
  s1(/^ {4}bin: .*$/m, () => `    bin: ${value('step outputs value')}\n    ${key('step outputs')}: y`, 'step 1 outputs');
  s1(/^ {4}workers: 64$/m, () => `    workers: ${value('step params value')}\n    ${key('step params')}: 1`, 'step 1 params');
  s1(/^ {4}documents: .*$/m, () => `    documents: ${value('step metrics value')}\n    ${key('step metrics')}: 2`, 'step 1 metrics');
  s1(/^ {2}logs: .*$/m, () => `  logs: ${value('step logs')}`, 'step 1 logs');
  // Step 2 (CPT train): metrics, warnings, error, error_stack.
  const s2 = (re, fn, what) => edit(new RegExp(`(- step_id: 2\\n[\\s\\S]*?)${re.source}`, 'm'), (_, head) => head + fn(), what);
  s2(/^ {4}tflops_per_gpu: .*$/m, () => `    tflops_per_gpu: ${value('train metrics value')}\n    ${key('train metrics')}: 3`, 'step 2 metrics');
  s2(/^ {4}- NCCL_IB_TIMEOUT.*$/m, () => `    - ${value('warning', '#step-2')}`, 'step 2 warnings');
  s2(
    /^ {2}retries: 0$/m,
    () =>
      [
        `  error: ${value('step error', '#step-2')}`,
        '  error_stack: |',
        '    Traceback (most recent call last):',
        `      File "${value('error_stack file')}", line 1, in <module>`,
        `    RuntimeError: ${value('error_stack message')}`,
        '  retries: 0',
      ].join('\n'),
    'step 2 error',
  );
  // Step 5 (SFT train): its loss_curve is a file whose name is a payload.
  const curveName = `"><img src=x onerror=window.__pwned=${PAYLOADS.length + 1}>.csv`;
  placed.push({ where: 'loss_curve file name', sel: '#step-5', payload: curveName });
  const s5 = (re, fn, what) => edit(new RegExp(`(- step_id: 5\\n[\\s\\S]*?)${re.source}`, 'm'), (_, head) => head + fn(), what);
  s5(/^ {4}loss_curve: .*$/m, () => `    loss_curve: /mnt/datapool/exp/x/${curveName}`, 'step 5 loss_curve');
  s5(/^ {4}final_loss: .*$/m, () => `    final_loss: ${value('training final_loss')}`, 'step 5 final_loss');
  // Step 7 (eval): dataset names, result keys and values, script.
  const s7 = (re, fn, what) => edit(new RegExp(`(- step_id: 7\\n[\\s\\S]*?)${re.source}`, 'm'), (_, head) => head + fn(), what);
  s7(/^ {6}- gsm8k$/m, () => `      - gsm8k\n      - ${value('eval dataset name', '#step-7')}`, 'eval datasets');
  s7(/^ {6}gsm8k: .*$/m, (m) => `      gsm8k: 0.8104\n      ${key('eval result')}: 0.5\n      mmlu_x: ${value('eval result value')}`, 'eval results');
  s7(/^ {6}path: .*$/m, () => `      path: ${value('eval script path')}`, 'eval script');
  // Repro: commands and env.
  edit(/^- run: .*$/m, () => `- run: ${value('repro command', '#sec-repro')}`, 'repro run');
  edit(/^- prepare: .*$/m, () => `- prepare: python3 x.py ${value('repro prepare')}`, 'repro prepare');
  after(/^ {2}NCCL_IB_HCA: .*$/m, [`  ${key('repro env')}: ${value('repro env value')}`], 'repro env');
  // Artifacts: checkpoint path and tag, hf_models, reports.
  after(
    /^ {4}step: 400$/m,
    [`  - path: /mnt/ckpt/${value('checkpoint path')}`, `    tag: ${value('checkpoint tag')}`, '    step: 300'],
    'checkpoints',
  );
  after(/^ {2}- .*\/hf\/sft-final$/m, [`  - ${value('hf_models entry')}`], 'hf_models');
  after(/^ {2}- .*\/reports\/summary\.html$/m, [`  - ${value('reports entry')}`, `  - javascript:window.__pwned=${PAYLOADS.length + 2}`], 'reports');
  // Resources, changes.
  after(/^- gpu_util_avg_pct: .*$/m, [`- ${key('resources')}: ${value('resources value', '#sec-resources')}`], 'resources');
  edit(/^- config_diff: .*$/m, () => `- config_diff: ${value('changes config_diff', '#sec-changes')}`, 'config_diff');
  // Checklist rows.
  after(
    /^\| Changes \| config_diff \| .*$/m,
    [
      `| ${value('checklist section')} | ${value('checklist field')} | ${value('checklist description')} |`,
      `| Summary | ${value('checklist field 2')} | x |`,
    ],
    'checklist',
  );
  // Sections the template does not know: a Notes section whose heading and Markdown body carry
  // payloads, and a section whose heading is one. Every payload not placed yet goes there.
  const notesHeading = `Notes <img src=x onerror="window.__pwned=${PAYLOADS.length + 3}">`;
  placed.push({ where: 'section heading', sel: '#sec-other', payload: notesHeading });
  const notes = [
    '',
    `## ${notesHeading}`,
    '',
    `### ${value('markdown heading', '#sec-other')}`,
    '',
    `Some *emphasis* and **bold** and a [link](https://example.com) next to ${value('markdown paragraph', '#sec-other')}.`,
    '',
    `> ${value('markdown quote')}`,
    '',
    '```html',
    value('markdown code fence'),
    '```',
    '',
    `| a | b |`,
    `| --- | --- |`,
    `| ${value('markdown table cell')} | ok |`,
    '',
  ];
  while (vi < PAYLOADS.length) notes.push(`- ${value('markdown list')}`);
  const headingSection = `${KEY_PAYLOADS[0]} heading`;
  placed.push({ where: 'section heading (unknown section)', sel: '#sec-other', payload: headingSection });
  notes.push('', `## ${headingSection}`, '', `text under it ${value('unknown section body')}`, '');
  text = `${text.trimEnd()}\n${notes.join('\n')}`;
  return { id, text, placed };
}

const HOSTILE_ID = newRunId(A1F3, 'h0s7');
const HOSTILE = hostileArchive(HOSTILE_ID);

/** Tag names an archive must never bring into the page (the app ships none of them). */
const FOREIGN_TAGS = [
  'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'form', 'video', 'audio', 'source',
  'track', 'marquee', 'math', 'maction', 'style', 'noscript', 'template', 'img', 'image', 'picture',
  'animate', 'set', 'animatetransform', 'animatemotion', 'foreignobject', 'use', 'isindex', 'portal',
  'xmp', 'plaintext', 'param', 'circle',
];
/** The only elements the lineage diagram is made of. */
const LINEAGE_TAGS = ['g', 'rect', 'text', 'title', 'path', 'defs', 'marker'];

/**
 * In the page: everything that shows a payload was not inert. `shipped`: the outerHTML of the
 * <meta> and <link> elements of dist/index.html as the browser serialises them. With `html`
 * the same checks run over that markup parsed into a separate, inert document (the control
 * that shows the checks catch a payload the page would have parsed as HTML).
 */
function inertProblems({ shipped, foreign, lineageTags, html = null }) {
  const live = html === null;
  const doc = live ? document : new DOMParser().parseFromString(`<!doctype html><html><head></head><body>${html}</body></html>`, 'text/html');
  const out = [];
  const desc = (el) => {
    const h = el.outerHTML;
    return h.length > 160 ? `${h.slice(0, 160)}…` : h;
  };
  if (live && window.__pwned !== undefined) out.push(`a payload ran: window.__pwned = ${window.__pwned}`);
  const urlAttrs = ['href', 'xlink:href', 'src', 'action', 'data', 'formaction', 'poster', 'background', 'codebase', 'ping', 'srcset', 'lowsrc', 'dynsrc'];
  for (const el of doc.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) out.push(`on* attribute ${a.name} on ${desc(el)}`);
      if (name === 'srcdoc') out.push(`srcdoc attribute on ${desc(el)}`);
      if (urlAttrs.includes(name)) {
        // eslint-disable-next-line no-control-regex
        const v = a.value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
        if (/^(javascript|data|vbscript):/.test(v)) out.push(`${a.name}="${a.value.slice(0, 80)}" on ${desc(el)}`);
      }
      if (name === 'style' && /javascript:|expression\(/i.test(a.value)) out.push(`style="${a.value.slice(0, 80)}" on ${desc(el)}`);
    }
  }
  const scripts = [...doc.querySelectorAll('script')];
  for (const s of scripts) {
    if (!(s.getAttribute('src') ?? '').endsWith('init.js') || s.textContent.trim() !== '') out.push(`script element ${desc(s)}`);
  }
  if (live && scripts.length !== 1) out.push(`${scripts.length} script elements (the app ships 1)`);
  for (const t of foreign) for (const el of doc.getElementsByTagName(t)) out.push(`<${el.localName}> element ${desc(el)}`);
  for (const el of doc.querySelectorAll('meta, link')) {
    if (!shipped.includes(el.outerHTML)) out.push(`<${el.localName}> element the app did not ship: ${desc(el)}`);
  }
  if (doc.querySelectorAll('meta[http-equiv="refresh" i]').length) out.push('meta refresh element');
  if (doc.querySelectorAll('body').length !== 1 || doc.querySelectorAll('head').length !== 1) out.push('extra body/head element');
  for (const el of doc.querySelectorAll('[autofocus]')) out.push(`autofocus on ${desc(el)}`);
  for (const svg of doc.querySelectorAll('svg')) {
    for (const el of svg.querySelectorAll('*')) {
      if (['script', 'a', 'foreignobject', 'iframe', 'use', 'image'].includes(el.localName.toLowerCase())) out.push(`<${el.localName}> inside an svg`);
    }
  }
  for (const el of doc.querySelectorAll('#sec-lineage svg *')) {
    if (!lineageTags.includes(el.localName)) out.push(`foreign element <${el.localName}> in the lineage svg: ${desc(el)}`);
  }
  return [...new Set(out)];
}

/**
 * In the page: what makes an exported HTML report (a whole document) not inert. The report
 * may have its own <style> and <meta> (charset, CSP), nothing else from `foreign`.
 */
function exportProblems({ html, foreign, payload }) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const out = [];
  for (const el of doc.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.toLowerCase().startsWith('on')) out.push(`on* attribute ${a.name} on <${el.localName}>`);
      // eslint-disable-next-line no-control-regex
      const v = a.value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
      if (/^(javascript|data|vbscript):/.test(v)) out.push(`${a.name}="${a.value.slice(0, 60)}" on <${el.localName}>`);
    }
  }
  if (doc.querySelectorAll('script').length) out.push(`${doc.querySelectorAll('script').length} script elements`);
  for (const t of foreign.filter((x) => x !== 'style')) if (doc.getElementsByTagName(t).length) out.push(`<${t}> element`);
  if (doc.querySelectorAll('style').length > 1) out.push(`${doc.querySelectorAll('style').length} style elements`);
  if (doc.querySelectorAll('head meta').length > 2 || doc.querySelectorAll('body meta, meta[http-equiv="refresh" i]').length) out.push('extra meta element');
  if (doc.querySelectorAll('svg, math, a[href], [style]').length) out.push('svg/math/link/style attribute in the report');
  if (!doc.body.textContent.includes(payload)) out.push(`the payload ${payload.slice(0, 60)} is not in the report as text`);
  return out;
}

/** Payloads that are active when parsed as HTML (not Markdown, template or escaped text). */
const HTML_ACTIVE = PAYLOADS.filter((p) => /<[a-z!/]/i.test(p));

// ---------------------------------------------------------------------------------------------
// Bad input fixtures

/** A valid 8x8 grey PNG (signature, IHDR, IDAT, IEND with their CRCs). */
function pngBytes() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (b) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 8, 0, 0, 0, 8, 8, 0, 0, 0, 0]);
  const raw = Buffer.concat(Array.from({ length: 8 }, () => Buffer.from([0, 10, 40, 80, 120, 160, 200, 230, 250])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Step ids of the manifest test: one entry that opens, one whose archive is not there. */
const MANIFEST_GOOD = A1F3;
const MANIFEST_GONE_ID = newRunId(C9D4, 'g0ne');
const MANIFEST_GONE_PATH = `missing/${MANIFEST_GONE_ID}/archive.md`;
const BROKEN_MANIFEST = {
  version: 1,
  runs: [
    {
      archive: `samples/${MANIFEST_GOOD.runId}/archive.md`,
      files: [],
      experiment: MANIFEST_GOOD.experiment,
      run_id: MANIFEST_GOOD.runId,
      status: MANIFEST_GOOD.status,
      started_at: field(sectionText(MANIFEST_GOOD.text, 'Summary'), 'started_at'),
    },
    {
      archive: MANIFEST_GONE_PATH,
      files: [],
      experiment: C9D4.experiment,
      run_id: MANIFEST_GONE_ID,
      status: C9D4.status,
      started_at: field(sectionText(C9D4.text, 'Summary'), 'started_at'),
    },
  ],
};
// Not JSON: a doubled comma on line 3.
const NOT_JSON = `{"version": 1,\n "runs": [\n  {"archive": "samples/x/archive.md",, "run_id": "x"}\n ]\n}\n`;
const NOT_JSON_LINE = 3;
const NOT_JSON_COLUMN = NOT_JSON.split('\n')[2].indexOf(',,') + 2; // the second comma, 1-based
// A 1 GB hosted archive, made on the fly: the run's archive, then 1,000 x 1 MB of filler.
const HUGE_ID = '20251103-0853-h0st';
const HUGE_ROUTE = {
  head: `${fs.readFileSync(path.join(SAMPLES, '20251103-0853-a1f3', 'archive.md'), 'utf8').replaceAll('20251103-0853-a1f3', HUGE_ID).trimEnd()}\n\n## Filler\n\n`,
  chunk: `- filler: ${'x'.repeat(1013)}\n`.repeat(1000),
  times: 1000,
};
const MANIFEST_ROUTES = {
  '/huge/archive.md': HUGE_ROUTE,
  '/broken-manifest.json': { body: JSON.stringify(BROKEN_MANIFEST) },
  '/not-json.json': { body: NOT_JSON, type: 'application/json' },
};

// ---------------------------------------------------------------------------------------------

if (distIsBuilt()) {
  describe('hostile and bad input', { timeout: 10 * 60_000 }, () => {
    let session;
    let server;
    let noCorsHost;
    let tmp;
    let withPage;
    let shipped; // outerHTML of the <meta>/<link> elements of index.html, as the browser has them

    before(async () => {
      server = await startServer({ root: DIST, routes: MANIFEST_ROUTES });
      noCorsHost = await startServer({ root: SAMPLES, corsAllow: false });
      session = await browserSession('hostile', { defaultTimeout: LOAD_TIMEOUT });
      ({ tmp, withPage } = session);
      // The head as shipped: index.html parsed by the browser without running it.
      const ctx = await session.browser.newContext({ javaScriptEnabled: false });
      try {
        const p = await ctx.newPage();
        await p.goto(server.url);
        shipped = await p.evaluate(() => [...document.querySelectorAll('meta, link')].map((e) => e.outerHTML));
      } finally {
        await ctx.close();
      }
    });

    after(async () => {
      await session?.close();
      await Promise.all([server?.close(), noCorsHost?.close()]);
    });

    // ---- shared page steps --------------------------------------------------------------------

    /** Open the app (optionally `query`/`hash`) and wait for the bundled runs. */
    async function openApp(page, query = '') {
      await page.goto(server.url + query);
      await waitListed(page, BUNDLED_IDS, 'bundled runs list');
    }

    /** Paste `text` through the Paste dialog. */
    async function paste(page, text) {
      await page.locator('#paste-open').click();
      await page.locator('textarea#paste-text').fill(text);
      await page.locator('#paste-submit').click();
    }

    /** After a problem: the runs list is intact and a bundled run opens by clicking it. */
    async function expectStillWorks(page, what) {
      await waitListed(page, BUNDLED_IDS, `${what}: runs list`);
      await waitIdle(page);
      const title = norm(await page.locator('#run-title').textContent({ timeout: 1000 }).catch(() => ''));
      const target = BUNDLED.find((r) => !title.includes(r.runId));
      await page.locator(`nav#runs [data-run-key="${target.runId}"]`).click();
      await waitRun(page, target.runId, `${what}: opening ${target.runId} from the runs list`);
      assert.ok(norm(await page.locator('#run-title').textContent()).includes(target.experiment), `${what}: title of ${target.runId}`);
    }

    // ---- script injection ---------------------------------------------------------------------

    /** Open every <details>, let images and handlers settle, then assert nothing ran. */
    async function expectInert(page, dialogs, what) {
      await expandAll(page);
      const problems = await page.evaluate(inertProblems, { shipped, foreign: FOREIGN_TAGS, lineageTags: LINEAGE_TAGS });
      const all = [...dialogs.map((d) => `a payload opened a dialog (${d})`), ...problems];
      assert.deepEqual(all.slice(0, 25), [], `${what}: the hostile archive was not rendered inert (${all.length} problems, first 25)`);
    }

    /** Every payload is in the page's text; those placed in a known section are shown there. */
    async function expectPayloadsShown(page, what) {
      const missing = await page.evaluate(
        ({ placed }) => {
          const n = (s) => s.replace(/\s+/g, ' ').trim();
          const body = n(document.body.textContent);
          const out = [];
          for (const p of placed) {
            if (!body.includes(n(p.payload))) out.push(`${p.where}: ${p.payload.slice(0, 80)} is nowhere in the page`);
            else if (p.sel) {
              const els = [...document.querySelectorAll(p.sel)];
              const shown = els.some((el) =>
                [...el.querySelectorAll('*')].some(
                  (c) => n(c.textContent).includes(n(p.payload)) && c.checkVisibility() && c.getClientRects().length > 0,
                ),
              );
              if (!shown) out.push(`${p.where}: ${p.payload.slice(0, 80)} is not shown as text in ${p.sel}`);
            }
          }
          return out;
        },
        { placed: HOSTILE.placed },
      );
      assert.deepEqual(missing, [], `${what}: payloads not shown as text`);
    }

    it('the injection corpus: at least 30 distinct payloads, placed in every kind of field', (t) => {
      assert.ok(PAYLOADS.length >= 30, `only ${PAYLOADS.length} payloads`);
      assert.equal(new Set(PAYLOADS).size, PAYLOADS.length, 'payloads are not distinct');
      PAYLOADS.forEach((p, i) => assert.ok(p.includes(`__pwned=${i + 1}`) || p.includes(`alert(${i + 1})`), `payload ${i + 1} marks nothing: ${p}`));
      for (const p of PAYLOADS) assert.ok(HOSTILE.text.includes(p), `payload not placed: ${p.slice(0, 80)}`);
      const kinds = new Set(HOSTILE.placed.map((p) => p.where.replace(/ \(key\)$/, '')));
      assert.ok(kinds.size >= 45, `payloads in only ${kinds.size} kinds of field`);
      t.diagnostic(`hostile archive: ${PAYLOADS.length} payloads, ${HOSTILE.placed.length} placements, ${HOSTILE.text.length} chars`);
    });

    it('control: the inertness checks flag every HTML payload parsed as HTML', { timeout: TEST_TIMEOUT }, async (t) => {
      assert.ok(HTML_ACTIVE.length >= 30, `only ${HTML_ACTIVE.length} HTML payloads`);
      await withPage(t, async (page) => {
        await openDefault(page, server.url);
        const clean = await page.evaluate(inertProblems, { shipped, foreign: FOREIGN_TAGS, lineageTags: LINEAGE_TAGS });
        assert.deepEqual(clean, [], 'the app with a bundled run open is flagged by the checks');
        const missed = [];
        for (const html of HTML_ACTIVE) {
          const found = await page.evaluate(inertProblems, { shipped, foreign: FOREIGN_TAGS, lineageTags: LINEAGE_TAGS, html });
          if (!found.length) missed.push(html.slice(0, 100));
        }
        assert.deepEqual(missed, [], 'payloads the checks would not notice if the page parsed them as HTML');
      });
    });

    it('a hostile archive opened by drop is inert and shows its payloads as text', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        const dialogs = watchDialogs(page);
        await openDefault(page, server.url);
        await dropFiles(page, [textFile('hostile.md', HOSTILE.text)]);
        await waitRun(page, HOSTILE_ID, 'dropped hostile archive');
        await expectInert(page, dialogs, 'dropped, run view');
        await expectPayloadsShown(page, 'dropped, run view');
        // The lineage diagram draws nodes named by payloads, as SVG text only.
        const copy = HOSTILE.placed.find((p) => p.where === 'data copy source').payload;
        const svgText = await page.locator('#sec-lineage svg').first().evaluate((s) => s.textContent);
        assert.ok(svgText.includes(copy), `the lineage svg does not show the data copy source ${copy} as text`);
        // The runs table lists it too (experiment, status, run id as text).
        await page.locator('#open-index').click();
        await page.locator('#index-count').waitFor({ timeout: SETTLED_TIMEOUT });
        await expectInert(page, dialogs, 'dropped, runs table');
      });
    });

    it('a hostile archive opened by paste is inert', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        const dialogs = watchDialogs(page);
        await openDefault(page, server.url);
        await paste(page, HOSTILE.text);
        await waitRun(page, HOSTILE_ID, 'pasted hostile archive');
        await expectInert(page, dialogs, 'pasted');
        await expectPayloadsShown(page, 'pasted');
      });
    });

    it('a hostile archive opened from a share link is inert', { timeout: TEST_TIMEOUT }, async (t) => {
      const frag = `share=v1.${sharePayload(HOSTILE.text)}`;
      await withPage(t, async (page) => {
        const dialogs = watchDialogs(page);
        await page.goto(`${server.url}#${frag}`);
        await waitRun(page, HOSTILE_ID, 'hostile share link');
        await expectInert(page, dialogs, 'share link');
        await expectPayloadsShown(page, 'share link');
      });
    });

    it('a hostile archive compared with its original is inert (side by side and table view)', { timeout: TEST_TIMEOUT }, async (t) => {
      await withPage(t, async (page) => {
        const dialogs = watchDialogs(page);
        await openDefault(page, server.url);
        await dropFiles(page, [textFile('hostile.md', HOSTILE.text), textFile('archive.md', A1F3.text)]);
        await waitListed(page, [HOSTILE_ID, A1F3.runId], 'after dropping the hostile archive and its original');
        await waitIdle(page);
        for (const id of [HOSTILE_ID, A1F3.runId]) {
          await page.locator(`nav#runs input.pick[aria-label="Select ${id} for comparison"]`).check();
        }
        await page.locator('#compare-selected:not([disabled])').click();
        await page.locator('#compare-view #compare-title').waitFor({ timeout: LOAD_TIMEOUT });
        await waitIdle(page);
        await nextFrame(page);
        const title = norm(await page.locator('#compare-view #compare-title').textContent());
        assert.ok(title.includes(HOSTILE_ID) && title.includes(A1F3.runId), `comparison title: ${title}`);
        await expectInert(page, dialogs, 'comparison, side by side');
        // A sample of changed values is shown as text in the comparison.
        for (const p of HOSTILE.placed.filter((x) => ['summary host', 'dependency version', 'changes config_diff'].includes(x.where))) {
          const shown = await page.evaluate(
            (s) => [...document.querySelectorAll('#compare-view *')].some((e) => e.textContent.replace(/\s+/g, ' ').includes(s) && e.checkVisibility()),
            norm(p.payload),
          );
          assert.ok(shown, `comparison does not show the ${p.where} payload as text: ${p.payload.slice(0, 80)}`);
        }
        // The HTML report a user downloads (and opens outside the app) is inert too.
        const host = HOSTILE.placed.find((x) => x.where === 'summary host').payload;
        const dl = await download(page, () => page.locator('#compare-view .compare-head button', { hasText: 'HTML' }).click(), 'HTML export', SETTLED_TIMEOUT);
        const html = fs.readFileSync(dl.file, 'utf8');
        assert.deepEqual(await page.evaluate(exportProblems, { html, foreign: FOREIGN_TAGS, payload: host }), [], `HTML export ${dl.name}`);
        await page.locator('.view-switch button', { hasText: 'Table view' }).click();
        await page.locator('#nway-view table.nway').waitFor({ timeout: SETTLED_TIMEOUT });
        await expectInert(page, dialogs, 'comparison, table view');
      });
    });

    it('an archive with real NUL bytes in a payload is refused or shown inert', { timeout: TEST_TIMEOUT }, async (t) => {
      const id = newRunId(A1F3, 'nu11');
      const text = withRunId(A1F3, id).replace(/^- user: .*$/m, `- user: <scr\0ipt>window.__pwned=${PAYLOADS.length + 4}</scr\0ipt><img src=x o\0nerror=window.__pwned=${PAYLOADS.length + 5}>`);
      await withPage(t, async (page) => {
        const dialogs = watchDialogs(page);
        await openDefault(page, server.url);
        await dropFiles(page, [textFile('nul-bytes.md', text)]);
        // Either outcome is fine: an error naming the file, or the run shown with the payload inert.
        await page
          .waitForFunction(
            (id) =>
              (document.querySelector('#run-title')?.textContent ?? '').includes(id) ||
              [...document.querySelectorAll('#load-errors [role="alert"]')].some((e) => e.textContent.includes('nul-bytes.md')),
            id,
            { timeout: LOAD_TIMEOUT },
          )
          .catch(async () => assert.fail(`nul-bytes.md: neither opened nor refused; alerts ${JSON.stringify(await alerts(page))}`));
        await waitIdle(page);
        t.diagnostic(`nul-bytes.md: ${JSON.stringify(await alerts(page))}`);
        await expectInert(page, dialogs, 'NUL bytes');
        await expectStillWorks(page, 'after the NUL archive');
      });
    });

    // ---- bad input ----------------------------------------------------------------------------

    /** A copy of `run`'s folder under a new run id; `edit(dir, text)` may change files and returns the archive text. */
    function runFolder(run, suffix, edit = (dir, text) => text) {
      const id = newRunId(run, suffix);
      const dir = path.join(tmp, 'folders', id);
      fs.cpSync(run.dir, dir, { recursive: true });
      const text = edit(dir, withRunId(run, id));
      fs.writeFileSync(path.join(dir, 'archive.md'), text);
      return { id, dir, text };
    }

    /** The problems listed under the chart of `stepSel` (text of each item). */
    const problemsOf = (page, stepSel) =>
      page.$$eval(`${stepSel} .problems li`, (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim())).catch(() => []);

    /** Wait for a problem of `stepSel` matching every regex of `res`; returns its text. */
    async function waitProblem(page, stepSel, res, what) {
      try {
        const h = await page.waitForFunction(
          ({ sel, res }) =>
            [...document.querySelectorAll(`${sel} .problems li`)]
              .map((e) => e.textContent.replace(/\s+/g, ' ').trim())
              .find((t) => res.every(([src, fl]) => new RegExp(src, fl).test(t))) ?? false,
          { sel: stepSel, res: res.map((r) => [r.source, r.flags]) },
          { timeout: SETTLED_TIMEOUT },
        );
        return await h.jsonValue();
      } catch {
        assert.fail(`${what}: no problem in ${stepSel} matching ${res.join(' and ')}; problems listed: ${JSON.stringify(await problemsOf(page, stepSel))}`);
      }
    }

    /** Wait for the curve error of `stepSel` containing every string of `parts`; returns its text. */
    async function waitCurveError(page, stepSel, parts, what) {
      try {
        const h = await page.waitForFunction(
          ({ sel, parts }) => {
            const t = document.querySelector(`${sel} .curve`)?.textContent.replace(/\s+/g, ' ').trim() ?? '';
            return parts.every((p) => t.includes(p)) ? t : false;
          },
          { sel: stepSel, parts },
          { timeout: LOAD_TIMEOUT },
        );
        return await h.jsonValue();
      } catch {
        const curve = await page.evaluate((s) => document.querySelector(`${s} .curve`)?.textContent.replace(/\s+/g, ' ').trim().slice(0, 500) ?? null, stepSel).catch(() => '?');
        assert.fail(`${what}: expected ${stepSel} to show an error naming ${JSON.stringify(parts)}; its curve area reads ${JSON.stringify(curve)}`);
      }
    }

    /** The curve error box of `stepSel` names `file` once, not `file: file ...`. */
    async function expectNamedOnce(page, stepSel, file) {
      const box = norm(await page.locator(`${stepSel} .curve .error-box`).textContent());
      assert.ok(
        !box.startsWith(`${file}: ${file}`),
        `${stepSel} .curve .error-box names the file twice: ${JSON.stringify(box)} (the box prefixes the file name to a message that already starts with it)`,
      );
    }

    /** Drop `bad` together with a good archive: the error names the bad file, the good run opens. */
    async function dropBadWithGood(page, bad, parts, what) {
      const goodId = newRunId(B7C2, 'g00d');
      await dropFiles(page, [bad, textFile('good-archive.md', withRunId(B7C2, goodId))]);
      const msg = await waitLoadError(page, [bad.name, ...parts], what);
      await waitListed(page, [goodId], `${what}: the good archive dropped with it`);
      await page.locator(`nav#runs [data-run-key="${goodId}"]`).click();
      await waitRun(page, goodId, `${what}: the good archive dropped with it`);
      return msg;
    }

    const cpt = curveOf(A1F3, '2'); // TensorBoard event file of step 2
    const csvCurve = curveOf(B7C2, '5'); // CSV export of step 5
    const cptLoss = readOracle(A1F3.runId, 'cpt').byTag.get(LOSS).length;

    const BAD_INPUTS = [
      {
        name: 'bad input: a binary file named .md',
        run: async (page) => {
          const bytes = fs.readFileSync(cpt.file).subarray(0, 4096);
          const nul = bytes.indexOf(0);
          return dropBadWithGood(page, bytesFile('binary-archive.md', bytes, 'text/markdown'), ['binary file', `offset ${nul}`], 'binary .md');
        },
      },
      {
        name: 'bad input: an empty file',
        run: (page) => dropBadWithGood(page, textFile('empty.md', ''), ['empty'], 'empty file'),
      },
      {
        name: 'bad input: a whitespace-only file',
        run: (page) => dropBadWithGood(page, textFile('blank.md', ' \n\t\n   \r\n\n'), ['empty'], 'whitespace-only file'),
      },
      {
        name: 'bad input: an archive in latin-1 (not UTF-8)',
        run: async (page) => {
          const text = withRunId(A1F3, newRunId(A1F3, 'l4t1')).replace(/^- user: .*$/m, '- user: José Müller');
          const bytes = Buffer.from(text, 'latin1');
          const bad = bytes.indexOf(0xe9);
          return dropBadWithGood(page, bytesFile('latin1-archive.md', bytes, 'text/markdown'), ['UTF-8', `offset ${bad}`], 'latin-1 archive');
        },
      },
      {
        name: 'bad input: a 2 MB single line in an otherwise valid archive',
        run: async (page, t) => {
          const id = newRunId(A1F3, 'l0ng');
          const line = `- huge_note: ${'0123456789abcdef'.repeat(131072)}`;
          const text = `${withRunId(A1F3, id).trimEnd()}\n\n## Huge\n\n${line}\n`;
          await dropFiles(page, [textFile('long-line.md', text)]);
          await waitRun(page, id, 'archive with a 2 MB line');
          await page.locator('#sec-raw details summary').click();
          const found = await page.evaluate(
            (len) => (document.querySelector('#sec-raw .raw-text')?.textContent ?? '').split('\n').filter((l) => l.length === len && l.startsWith('- huge_note: 0123')).length,
            line.length,
          );
          assert.equal(found, 1, `the ${line.length}-character line is not in the Raw section`);
          const raw = await page.evaluate(() => document.querySelector('#sec-raw .raw-text').textContent.includes('0123456789abcdef'.repeat(4096)));
          assert.ok(raw, 'the Raw section does not hold the long line\'s text');
          return `opens; Raw section holds the ${grouped(line.length)}-character line`;
        },
      },
      {
        name: 'bad input: a 100,000-line archive',
        run: async (page, t) => {
          if (!fs.existsSync(CLI)) {
            t.skip(`${CLI} is missing: build it with \`cargo build\``);
            return 'skipped';
          }
          const big = await new Promise((resolve, reject) => {
            execFile(CLI, ['synth', '--steps', '160', '--params', '600'], { maxBuffer: 256 << 20 }, (err, out) => (err ? reject(err) : resolve(out)));
          });
          const lines = big.endsWith('\n') ? big.split('\n').length - 1 : big.split('\n').length;
          assert.ok(lines >= 100_000, `synth wrote only ${lines} lines`);
          const id = field(sectionText(big, 'Summary'), 'run_id');
          await dropFiles(page, [textFile('big-archive.md', big)]);
          await waitRun(page, id, `${lines}-line archive`);
          const note = norm(await page.locator('#sec-raw-title .note').textContent());
          assert.ok(note.includes(`${lines} lines`) || note.includes(`${grouped(lines)} lines`), `Raw section note: ${note}, expected ${lines} lines`);
          return `opens; Raw section: "${note}"`;
        },
      },
      {
        name: 'bad input: a 1 GB archive',
        run: async (page) => {
          const id = newRunId(A1F3, 'g1ga');
          const head = `${withRunId(A1F3, id).trimEnd()}\n\n## Filler\n\n`;
          const line = `- filler: ${'x'.repeat(1013)}\n`.repeat(1000); // 1,024,000 bytes
          const times = 1000;
          const size = Buffer.byteLength(head) + times * line.length;
          const started = Date.now();
          await dropFiles(page, [{ name: 'huge-archive.md', text: head, tail: line, times, type: 'text/markdown' }]);
          const msg = await waitLoadError(page, ['huge-archive.md', `${(size / 1e9).toFixed(1)} GB`, '16.0 MB', 'were read'], '1 GB archive');
          await waitRun(page, id, '1 GB archive');
          metric('bad_input_1gb_archive_open', Date.now() - started, 'ms');
          const rows = await page.$$eval('#sec-diagnostics tbody tr', (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
          assert.ok(rows.some((r) => r.includes('16.0 MB') && r.includes('were read')), `the cut is not in Diagnostics: ${JSON.stringify(rows.slice(0, 5))}`);
          const mem = await page.evaluate(() => window.wasmBindings.wasm_memory_bytes());
          assert.ok(mem < 512 * 2 ** 20, `wasm memory ${mem} bytes after a 1 GB drop: the file was read whole`);
          return msg;
        },
      },
      {
        name: 'bad input: a text file that is not an archive',
        run: (page) => dropBadWithGood(page, textFile('shopping-list.md', '# Shopping\n\n- milk\n- eggs\n\nNothing to see here.\n'), [], 'not an archive'),
      },
      {
        name: 'bad input: a PNG image',
        run: async (page) => {
          // Alone (dropped with an archive it would be one of that run's files).
          await dropFiles(page, [bytesFile('loss-chart.png', pngBytes(), 'image/png')]);
          return waitLoadError(page, ['loss-chart.png'], 'PNG');
        },
      },
      {
        name: 'bad input: a truncated event file in a run folder',
        run: async (page) => {
          let cut;
          const f = runFolder(A1F3, 'trnc', (dir) => {
            const bytes = fs.readFileSync(cpt.file);
            const all = eventRecords(bytes).records;
            const mid = all[Math.floor(all.length * 0.6)];
            cut = bytes.subarray(0, mid.start + 20); // into the header and data of that record
            fs.writeFileSync(path.join(dir, cpt.rel), cut);
            return fs.readFileSync(path.join(dir, 'archive.md'), 'utf8').replaceAll(A1F3.runId, path.basename(dir));
          });
          const { records, wholeEnd } = eventRecords(cut);
          assert.ok(wholeEnd < cut.length, 'fixture: the event file should end mid-record');
          const points = records.filter((r) => r.tags.includes(LOSS)).length;
          await page.locator('input#folder-input').setInputFiles(f.dir);
          await waitRun(page, f.id, 'run folder with a truncated event file');
          await waitInView(page, '#step-2', 'eq', points, { timeout: LOAD_TIMEOUT, what: `${LOSS} of the whole records of the truncated file` });
          return waitProblem(page, '#step-2', [byteRe(wholeEnd), /middle of a record|cut off|truncated/i], 'truncated event file');
        },
      },
      {
        name: 'bad input: an event file with a CRC-damaged record',
        run: async (page) => {
          let damaged;
          const f = runFolder(A1F3, 'crc0', (dir) => {
            const bytes = Buffer.from(fs.readFileSync(cpt.file));
            const all = eventRecords(bytes).records;
            damaged = all.slice(Math.floor(all.length / 2)).find((r) => r.tags.includes(LOSS));
            bytes[damaged.start + 12 + 3] ^= 0xff; // a byte of its data
            fs.writeFileSync(path.join(dir, cpt.rel), bytes);
            return fs.readFileSync(path.join(dir, 'archive.md'), 'utf8').replaceAll(A1F3.runId, path.basename(dir));
          });
          await page.locator('input#folder-input').setInputFiles(f.dir);
          await waitRun(page, f.id, 'run folder with a CRC-damaged event file');
          await waitInView(page, '#step-2', 'eq', cptLoss - 1, { timeout: LOAD_TIMEOUT, what: `${LOSS} without the damaged record` });
          return waitProblem(page, '#step-2', [byteRe(damaged.start), /CRC/], 'CRC-damaged record');
        },
      },
      {
        name: 'bad input: a gzipped event file (.gz)',
        run: async (page) => {
          const f = runFolder(A1F3, 'gz1p', (dir, text) => {
            const file = path.join(dir, cpt.rel);
            fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file)));
            fs.rmSync(file);
            return text.replace(cpt.name, `${cpt.name}.gz`);
          });
          await page.locator('input#folder-input').setInputFiles(f.dir);
          await waitRun(page, f.id, 'run folder with a gzipped event file');
          await waitInView(page, '#step-2', 'eq', cptLoss, { timeout: LOAD_TIMEOUT, what: `${LOSS} of the gzipped event file` });
          const problems = await problemsOf(page, '#step-2');
          assert.deepEqual(problems, [], 'problems listed for an intact gzipped event file');
          return `charted: "${norm(await page.locator('#step-2 .chart-note').textContent()).split(' drawn')[0]} drawn…"`;
        },
      },
      {
        name: 'bad input: a CSV curve with bad rows',
        run: async (page) => {
          const lines = fs.readFileSync(csvCurve.file, 'utf8').split('\n');
          const badLines = [5, 12, 40]; // 1-based line numbers in the file
          const damage = { 5: 'not,a,number', 12: '1762814800.0,,2.1', 40: '1762814900.0,39,oops' };
          for (const n of badLines) lines[n - 1] = damage[n];
          const text = lines.join('\n');
          const good = csvDataRows(text).length - badLines.length;
          const f = runFolder(B7C2, 'csvb', (dir, t) => {
            fs.writeFileSync(path.join(dir, csvCurve.rel), text);
            return t;
          });
          await page.locator('input#folder-input').setInputFiles(f.dir);
          await waitRun(page, f.id, 'run folder with a damaged CSV');
          await waitInView(page, '#step-5', 'eq', good, { timeout: LOAD_TIMEOUT, what: `good rows of ${csvCurve.name}` });
          const seen = [];
          for (const n of badLines) seen.push(await waitProblem(page, '#step-5', [new RegExp(`\\bline ${n}\\b`)], `bad CSV row on line ${n}`));
          return seen.join(' / ');
        },
      },
      {
        name: 'bad input: a CSV curve without a step column',
        run: async (page) => {
          const f = runFolder(B7C2, 'nstp', (dir, t) => {
            const text = fs.readFileSync(csvCurve.file, 'utf8').replace(/^Wall time,Step,Value/, 'Wall time,Epoch,Value');
            fs.writeFileSync(path.join(dir, csvCurve.rel), text);
            return t;
          });
          await page.locator('input#folder-input').setInputFiles(f.dir);
          await waitRun(page, f.id, 'run folder with a CSV without a step column');
          await waitCurveError(page, '#step-5', [csvCurve.name, 'no step column'], 'CSV without a step column');
          const msg = norm(await page.locator('#step-5 .curve .error-box').textContent());
          // The other train step still charts.
          await waitInView(page, '#step-2', 'eq', readOracle(B7C2.runId, 'cpt').byTag.get(LOSS).length, { timeout: LOAD_TIMEOUT, what: 'the CPT chart of the same run' });
          await expectNamedOnce(page, '#step-5', csvCurve.name);
          return msg;
        },
      },
      {
        name: 'bad input: an archive dropped without its curve file',
        run: async (page) => {
          const id = newRunId(A1F3, 'nocv');
          await dropFiles(page, [textFile('archive.md', withRunId(A1F3, id))]);
          await waitRun(page, id, 'archive without its curve files');
          const target = page.locator('#step-2 .curve-drop[role="region"]');
          await target.waitFor({ timeout: SETTLED_TIMEOUT });
          assert.equal(await target.getAttribute('aria-label'), `Drop ${cpt.name} here`);
          return norm(await target.textContent());
        },
      },
      {
        name: 'bad input: ?run= with an archive that is not there (404)',
        before: true,
        run: async (page) => {
          const missing = `${server.url}samples/no-such-run/archive.md`;
          await openApp(page, `?run=${encodeURIComponent(missing)}`);
          return waitLoadError(page, [missing, '404'], `?run=${missing}`);
        },
      },
      {
        name: 'bad input: ?run= of a 1 GB hosted archive',
        before: true,
        run: async (page) => {
          const url = `${server.origin}/huge/archive.md`;
          const size = Buffer.byteLength(HUGE_ROUTE.head) + HUGE_ROUTE.chunk.length * HUGE_ROUTE.times;
          await openApp(page, `?run=${encodeURIComponent(url)}`);
          const msg = await waitLoadError(page, [url, `${(size / 1e9).toFixed(1)} GB`, '16.0 MB', 'were read'], '1 GB hosted archive');
          await waitRun(page, HUGE_ID, '1 GB hosted archive');
          const req = server.requests.find((r) => r.path === '/huge/archive.md');
          assert.ok(req, 'the archive was not requested');
          // The page stops reading after 16 MB; the server may have buffered a little more.
          assert.ok(req.sent < 200e6, `the server wrote ${req.sent} bytes: the whole archive was downloaded`);
          return `${msg} (server wrote ${(req.sent / 1e6).toFixed(0)} MB of ${(size / 1e6).toFixed(0)} MB)`;
        },
      },
      {
        name: 'bad input: ?run= on another origin that sends no CORS headers',
        before: true,
        run: async (page) => {
          const blocked = `${noCorsHost.origin}${CORS_BLOCKED_PATH}`;
          assert.equal((await fetch(blocked)).status, 200, 'fixture: the server does answer');
          await openApp(page, `?run=${encodeURIComponent(blocked)}`);
          return waitLoadError(page, [blocked, 'CORS'], `?run=${blocked}`);
        },
      },
      {
        name: 'bad input: a manifest with an entry whose archive is missing',
        before: true,
        stillWorks: false,
        run: async (page, t) => {
          await page.goto(`${server.url}?index=broken-manifest.json`);
          await waitListed(page, [MANIFEST_GOOD.runId, MANIFEST_GONE_ID], 'runs of broken-manifest.json');
          await page.locator(`nav#runs [data-run-key="${MANIFEST_GOOD.runId}"]`).click();
          await waitRun(page, MANIFEST_GOOD.runId, 'the good entry of the manifest');
          const before = await alerts(page);
          await page.locator(`nav#runs [data-run-key="${MANIFEST_GONE_ID}"]`).click();
          // Named as the manifest names it (relative to the manifest).
          const msg = await waitLoadError(page, [MANIFEST_GONE_PATH, '404'], 'the entry whose archive is missing');
          // The run view says it could not be opened, and why.
          const pane = page.locator('#run-view .pane-state.error[role="alert"]');
          await pane.waitFor({ timeout: SETTLED_TIMEOUT });
          const paneText = norm(await pane.textContent());
          assert.ok(paneText.includes('could not be opened') && paneText.includes('404'), `#run-view after opening the broken entry: ${paneText}`);
          await waitIdle(page);
          t.diagnostic(`alerts before opening the broken entry: ${JSON.stringify(before)}; after: ${JSON.stringify(await alerts(page))}; run view: ${paneText}`);
          // Still working: the good entry opens again.
          await page.locator(`nav#runs [data-run-key="${MANIFEST_GOOD.runId}"]`).click();
          await waitRun(page, MANIFEST_GOOD.runId, 'the good entry after the broken one');
          return msg;
        },
      },
      {
        name: 'bad input: a manifest that is not JSON',
        before: true,
        stillWorks: false,
        run: async (page) => {
          await page.goto(`${server.url}?index=not-json.json`);
          await page.locator('#run-search').waitFor({ timeout: LOAD_TIMEOUT });
          // Named as the address gives it.
          const msg = await waitLoadError(page, ['not-json.json', `line ${NOT_JSON_LINE}`, `column ${NOT_JSON_COLUMN}`], 'manifest that is not JSON');
          // The manifest replaces the bundled list (so that is empty); the app still opens a drop.
          const id = newRunId(B7C2, 'aft3');
          await dropFiles(page, [textFile('archive.md', withRunId(B7C2, id))]);
          await waitRun(page, id, 'an archive dropped after the bad manifest');
          return msg;
        },
      },
      {
        name: 'bad input: a damaged share link',
        before: true,
        run: async (page) => {
          const good = sharePayload(withRunId(C9D4, newRunId(C9D4, 'dmg0')));
          await page.goto(`${server.url}#share=v1.${good.slice(0, Math.floor(good.length / 2))}`);
          return waitLoadError(page, ['shared link'], 'cut-off share link');
        },
      },
      {
        name: 'bad input: YAML-invalid lines and unknown sections',
        run: async (page) => {
          const id = newRunId(A1F3, 'yaml');
          const bad = ['- this line has no colon at all', '- quoted: "unterminated', 'plain words at column zero', '- : empty key', '  params broken no colon'];
          let text = withRunId(A1F3, id).replace(/^(- gpus: .*)$/m, `$1\n${bad.slice(0, 3).join('\n')}`);
          text = text.replace(/^(- logs_root: .*)$/m, `$1\n${bad[3]}`);
          text = text.replace(/^( {2}retries: 0)$/m, `${bad[4]}\n$1`);
          text = `${text.trimEnd()}\n\n## Mystery Section\n\nfree text the template does not know\n`;
          const lineOf = (l) => text.split('\n').indexOf(l) + 1;
          await dropFiles(page, [textFile('odd-archive.md', text)]);
          await waitRun(page, id, 'archive with invalid lines');
          // Rows of the Diagnostics table: line, severity, message, text.
          const rows = await page.$$eval('#sec-diagnostics tr', (els) => els.map((e) => [...e.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim())));
          const missing = bad.filter((l) => !rows.some((r) => r[0] === String(lineOf(l)) && r.join(' ').includes(norm(l))));
          assert.deepEqual(missing, [], `lines not listed with their line number in Diagnostics; rows: ${JSON.stringify(rows.slice(0, 12))}`);
          const mystery = norm(await page.locator('#sec-other').textContent());
          assert.ok(mystery.includes('Mystery Section') && mystery.includes(`line ${lineOf('## Mystery Section')}`), `Other sections: ${mystery.slice(0, 300)}`);
          return rows.filter((r) => bad.some((l) => r.join(' ').includes(norm(l)))).map((r) => `line ${r[0]} ${r[1]}: ${r[2]}`).join(' / ');
        },
      },
      {
        name: 'bad input: an archive nested 3,000 levels deep',
        run: async (page) => {
          const id = newRunId(A1F3, 'deep');
          const depth = 3000;
          const nest = Array.from({ length: depth }, (_, d) => `${'  '.repeat(d + 1)}- k${d + 1}:`);
          nest.push(`${'  '.repeat(depth + 1)}- leaf: the bottom`);
          const text = withRunId(A1F3, id).replace(/^(- steps_config_dir: .*)$/m, `$1\n- deep_config:\n${nest.join('\n')}`);
          const first = text.split('\n').indexOf(nest[0]) + 1;
          await dropFiles(page, [textFile('deep-archive.md', text)]);
          await waitRun(page, id, 'archive nested 3,000 levels deep');
          const rows = await page.$$eval('#sec-diagnostics tbody tr', (els) => els.map((e) => [...e.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim())));
          const row = rows.find((r) => r.join(' ').includes('nested more than'));
          assert.ok(row, `no diagnostic about the nesting; rows: ${JSON.stringify(rows.slice(0, 8))}`);
          const line = Number(row[0]);
          assert.ok(line > first && line < first + 60, `the diagnostic's line ${line} is not near the top of the nesting (line ${first})`);
          // The values around it are still read: the pipeline config after the deep block.
          const cfg = norm(await page.locator('#sec-config_snapshot').textContent());
          assert.ok(cfg.includes('qwen25-7b-med-cpt-sft'), 'the rest of the Config Snapshot is shown');
          return `opens; Diagnostics line ${row[0]}: ${row.slice(1).join(' ')}`;
        },
      },
      {
        name: 'bad input: an event file with 64 KB of garbage between two records',
        run: async (page) => {
          let at;
          const f = runFolder(A1F3, 'junk', (dir, text) => {
            const bytes = fs.readFileSync(cpt.file);
            const all = eventRecords(bytes).records;
            at = all[Math.floor(all.length * 0.4)].start;
            const junk = Buffer.alloc(65536);
            for (let i = 0; i < junk.length; i++) junk[i] = (i * 2654435761) >>> 13 & 0xff;
            fs.writeFileSync(path.join(dir, cpt.rel), Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]));
            return text;
          });
          await page.locator('input#folder-input').setInputFiles(f.dir);
          await waitRun(page, f.id, 'run folder with garbage inside an event file');
          await waitInView(page, '#step-2', 'eq', cptLoss, { timeout: LOAD_TIMEOUT, what: `every ${LOSS} point, on both sides of the garbage` });
          return waitProblem(page, '#step-2', [byteRe(at), /skipped 65536 bytes/], 'garbage between records');
        },
      },
      {
        name: 'bad input: an archive with CRLF line ends and a BOM',
        run: async (page) => {
          const id = newRunId(A1F3, 'crlf');
          const lf = withRunId(A1F3, id);
          await dropFiles(page, [textFile('crlf-bom.md', `\ufeff${lf.replace(/\n/g, '\r\n')}`)]);
          await waitRun(page, id, 'CRLF + BOM archive');
          const summary = sectionText(lf, 'Summary');
          const want = [
            ['#sec-summary', field(summary, 'host')],
            ['#sec-summary', field(summary, 'git_commit').slice(0, 7)],
            ['#sec-dependencies', '0.6.4.post1'],
            ['#step-2', stepField(lf, '2', 'final_loss')],
            ['#sec-resources', field(sectionText(lf, 'Resources'), 'peak_vram_gb')],
          ];
          for (const [sel, v] of want) assert.ok(norm(await page.locator(sel).first().textContent()).includes(v), `${sel} does not show ${v}`);
          assert.ok(norm(await page.locator('#run-title').textContent()).includes(A1F3.experiment), 'experiment in the title');
          const cr = await page.evaluate(() => /[\r\ufeff]/.test(document.querySelector('#run-view')?.innerText ?? ''));
          assert.equal(cr, false, 'a CR or BOM character shows in the run view');
          // The same diagnostics as the LF original (none added by the line ends).
          const diag = (p) => p.$$eval('#sec-diagnostics tbody tr', (els) => els.length);
          const crlfDiag = await diag(page);
          await dropFiles(page, [textFile('lf.md', withRunId(A1F3, newRunId(A1F3, 'lf00')))]);
          await waitRun(page, newRunId(A1F3, 'lf00'), 'the LF original');
          assert.equal(crlfDiag, await diag(page), 'diagnostics of the CRLF+BOM archive vs the LF original');
          return `opens with the same values (${crlfDiag} diagnostics, as the LF file)`;
        },
      },
      {
        name: 'bad input: a Megatron log without iteration lines as the curve',
        run: async (page) => {
          const logName = 'broken_train.log';
          const f = runFolder(A1F3, 'mlog', (dir, text) => {
            const log = fs.readFileSync(path.join(A1F3.dir, 'logs', 'cpt_train.log'), 'utf8').split('\n').filter((l) => !/iteration\s+\d+/.test(l));
            fs.writeFileSync(path.join(dir, 'logs', logName), log.join('\n'));
            fs.rmSync(path.join(dir, cpt.rel));
            return text.replace(/(loss_curve: ).*tensorboard\/cpt\/events[^\n]*/, `$1/mnt/datapool/exp/x/logs/${logName}`);
          });
          await page.locator('input#folder-input').setInputFiles(f.dir);
          await waitRun(page, f.id, 'run folder whose curve is a log without iteration lines');
          await waitCurveError(page, '#step-2', [logName, 'iteration'], 'Megatron log without iteration lines');
          const msg = norm(await page.locator('#step-2 .curve .error-box').textContent());
          await expectNamedOnce(page, '#step-2', logName);
          return msg;
        },
      },
    ];

    for (const c of BAD_INPUTS) {
      it(c.name, { timeout: TEST_TIMEOUT }, async (t) => {
        await withPage(t, async (page) => {
          const dialogs = watchDialogs(page);
          if (!c.before) await openDefault(page, server.url);
          const seen = await c.run(page, t);
          if (seen === 'skipped') return;
          t.diagnostic(`seen: ${seen}`);
          assert.deepEqual(dialogs, [], 'dialogs opened');
          if (c.stillWorks !== false) await expectStillWorks(page, c.name);
        });
      });
    }
  });
}
