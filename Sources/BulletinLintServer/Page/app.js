// bulletinlint serve: the editors' page. Uses only the JSON API of docs/openapi.yaml.
// Everything from a document is put into the page as text (textContent), never as HTML.
'use strict';

const SEVERITY_NAMES = { error: '错误', warning: '警告', info: '提示' };
const RANK = { error: 0, warning: 1, info: 2 };

const state = {
  original: null,   // the File chosen (kept for the reviewed .docx)
  document: null,   // { file: File } or { text, name }: what the next request sends
  result: null,     // the last lint answer
  selected: null,   // the id of the selected finding
  annotate: false,
  fixedAny: false,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

async function api(path, form) {
  let response;
  try {
    response = await fetch(path, { method: 'POST', body: form });
  } catch (e) {
    throw new Error('无法连接检查服务：' + e.message);
  }
  if (!response.ok) {
    let message = '请求失败（HTTP ' + response.status + '）';
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) message = body.error.message;
    } catch (e) { /* not JSON */ }
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return response;
}

function formFor(doc, extra) {
  const form = new FormData();
  if (doc.file) form.append('file', doc.file, doc.file.name);
  else { form.append('text', doc.text); form.append('name', doc.name); }
  const config = $('config').files[0];
  if (config) form.append('config', config, config.name);
  else form.append('ruleset', $('ruleset').value);
  for (const [key, value] of Object.entries(extra || {})) form.append(key, String(value));
  return form;
}

function busy(on) {
  document.body.classList.toggle('busy', on);
  $('check').disabled = on;
  $('fix-all').disabled = on || !(state.result && state.result.summary.fixable > 0);
}

async function check() {
  clearError();
  const file = $('file').files[0] || state.droppedFile;
  const pasted = $('paste').value;
  if (file) {
    state.original = file;
    state.document = { file };
  } else if (pasted.trim()) {
    state.original = null;
    state.document = { text: pasted, name: '粘贴的文本.txt' };
  } else {
    showError('请先选择或拖入一个文稿，或粘贴文本。');
    return;
  }
  state.fixedAny = false;
  busy(true);
  try {
    const response = await api('/api/lint', formFor(state.document));
    show(await response.json());
  } catch (e) {
    showError(e.message);
  } finally {
    busy(false);
  }
}

async function applyFix(id) {
  clearError();
  busy(true);
  try {
    const extra = id === undefined ? {} : { finding: id };
    const response = await api('/api/fix', formFor(state.document, extra));
    const answer = await response.json();
    state.document = { text: answer.result.text, name: answer.name };
    state.fixedAny = true;
    show(answer.result);
    flashNote(answer.applied > 0 ? '已应用 ' + answer.applied + ' 处修正' : '没有可应用的安全修正');
  } catch (e) {
    showError(e.message);
  } finally {
    busy(false);
  }
}

function flashNote(text) {
  const note = $('note');
  note.textContent = text;
  note.hidden = false;
}

// MARK: Rendering

function show(result) {
  state.result = result;
  state.selected = null;
  $('note').hidden = true;
  $('result').hidden = false;
  renderSummary(result);
  renderDocument(result);
  renderFindings(result);
  renderByRule(result);
  renderInspect(result);
  $('detail').hidden = true;
  const safe = result.summary.fixable;
  $('fix-all').textContent = '应用全部安全修正（' + safe + '）';
  $('fix-all').disabled = safe === 0;
  $('download-docx').disabled = !(state.annotate && state.original && /\.docx$/i.test(state.original.name));
  $('download-docx').title = state.annotate ? '' : '此版本尚未提供批注版 .docx';
}

function renderSummary(result) {
  const s = result.summary;
  const box = $('summary');
  box.replaceChildren(
    el('span', {}, '《' + result.name + '》，规则集 ' + result.ruleset + '：'),
    el('b', { class: 'error' }, s.errors + ' 个错误'), '，',
    el('b', { class: 'warning' }, s.warnings + ' 个警告'), '，',
    el('b', { class: 'info' }, s.infos + ' 个提示'),
    el('span', {}, s.fixable > 0 ? '；其中 ' + s.fixable + ' 个可安全自动修正' : ''),
  );
  $('count').textContent = '（' + result.findings.length + '）';
}

// The text cut at every finding's start and end; each piece is marked with the most severe
// finding covering it. An empty range (something missing here) is a small marker.
function renderDocument(result) {
  const text = result.text;
  const doc = $('doc');
  const placed = result.findings.filter((f) => f.start !== null && f.end !== null);
  const cuts = new Set([0, text.length]);
  for (const f of placed) { cuts.add(f.start); cuts.add(f.end); }
  const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  const empties = new Map();
  for (const f of placed) {
    if (f.start === f.end) {
      if (!empties.has(f.start)) empties.set(f.start, []);
      empties.get(f.start).push(f);
    }
  }
  for (let i = 0; i < points.length; i++) {
    const at = points[i];
    for (const f of empties.get(at) || []) {
      fragment.append(el('mark', { class: 'point ' + f.severity, 'data-ids': String(f.id), title: f.message }));
    }
    if (i === points.length - 1) break;
    const next = points[i + 1];
    const piece = text.slice(at, next);
    const covering = placed.filter((f) => f.start < next && f.end > at);
    if (covering.length === 0) {
      fragment.append(document.createTextNode(piece));
      continue;
    }
    covering.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
    const mark = el('mark', {
      class: covering[0].severity,
      'data-ids': covering.map((f) => f.id).join(' '),
      title: covering.map((f) => f.message).join('\n'),
    }, piece);
    fragment.append(mark);
  }
  doc.replaceChildren(fragment);
}

function renderFindings(result) {
  const list = $('findings');
  const items = result.findings.map((f) => {
    const li = el('li', { class: f.severity, 'data-id': String(f.id), tabIndex: 0 },
      el('span', { class: 'sev ' + f.severity }, SEVERITY_NAMES[f.severity] || f.severity),
      el('span', { class: 'where' }, '第 ' + f.line + ' 行第 ' + f.column + ' 列'),
      f.fix && f.fix.applicability === 'safe'
        ? el('button', { class: 'fix', type: 'button', title: f.fix.description, 'data-fix': String(f.id) }, '修正')
        : null,
      el('span', { class: 'msg' }, f.message),
      el('span', { class: 'rule' }, f.rule));
    return li;
  });
  if (items.length === 0) items.push(el('li', { class: 'none' }, '没有发现问题。'));
  list.replaceChildren(...items);
}

function renderByRule(result) {
  const table = $('by-rule');
  const head = el('tr', {}, el('th', {}, '规则'), el('th', {}, '说明'), el('th', {}, '级别'), el('th', {}, '次数'));
  const rows = result.summary.byRule.map((r) => el('tr', {},
    el('td', {}, el('code', {}, r.rule)),
    el('td', {}, r.title),
    el('td', {}, el('span', { class: 'sev ' + r.severity }, SEVERITY_NAMES[r.severity] || r.severity)),
    el('td', { class: 'n' }, String(r.count))));
  if (rows.length === 0) rows.push(el('tr', {}, el('td', { colSpan: 4 }, '没有发现问题。')));
  table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
}

function renderInspect(result) {
  const inspect = result.inspect;
  const genre = $('genre');
  const list = $('elements');
  if (!inspect) {
    genre.textContent = '没有识别结果。';
    list.replaceChildren();
    return;
  }
  const g = inspect.genre || {};
  genre.replaceChildren(
    el('b', {}, '文种判断：'), (g.genre || '未知') + (g.wenzhong ? '（' + g.wenzhong + '）' : ''),
    g.date ? '，日期 ' + g.date : '',
    (g.evidence && g.evidence.length) ? el('div', { class: 'hint' }, '依据：' + g.evidence.join('；')) : null);
  const labels = result.labels || {};
  const render = (e) => {
    const fields = Object.entries(e.fields || {}).map(([k, v]) => k + '：' + v).join('；');
    const li = el('li', {},
      el('span', { class: 'kind', title: e.kind + '（点击在文稿中定位）', 'data-line': String(e.span.start.line) },
        labels[e.kind] || e.kind),
      ' ', el('span', { class: 'where' }, '第 ' + e.span.start.line + ' 行'), ' ',
      el('span', { class: 'text' }, e.text.length > 80 ? e.text.slice(0, 80) + '…' : e.text),
      fields ? el('div', { class: 'fields' }, fields) : null);
    if (e.children && e.children.length) li.append(el('ul', {}, ...e.children.map(render)));
    return li;
  };
  const elements = inspect.elements || [];
  list.replaceChildren(...(elements.length ? elements.map(render) : [el('li', {}, '没有识别出任何要素。')]));
}

// MARK: Selection

function select(id, from) {
  const result = state.result;
  const f = result && result.findings.find((x) => x.id === id);
  if (!f) return;
  state.selected = id;
  for (const li of $('findings').querySelectorAll('li.selected')) li.classList.remove('selected');
  const item = $('findings').querySelector('li[data-id="' + id + '"]');
  if (item) {
    item.classList.add('selected');
    if (from === 'text') item.scrollIntoView({ block: 'nearest' });
  }
  showTab('text');
  const marks = [...$('doc').querySelectorAll('mark')].filter((m) => m.dataset.ids.split(' ').includes(String(id)));
  for (const m of $('doc').querySelectorAll('mark.flash')) m.classList.remove('flash');
  if (marks.length) {
    if (from !== 'text') marks[0].scrollIntoView({ block: 'center' });
    for (const m of marks) {
      void m.offsetWidth; // restart the animation
      m.classList.add('flash');
    }
  }
  renderDetail(f);
}

function renderDetail(f) {
  const box = $('detail');
  const rule = state.result.summary.byRule.find((r) => r.rule === f.rule);
  box.replaceChildren(
    el('h3', {}, f.message),
    el('div', {}, el('span', { class: 'sev ' + f.severity }, SEVERITY_NAMES[f.severity] || f.severity), ' ',
      el('code', {}, f.rule), rule ? '（' + rule.title + '）' : ''),
    el('p', {}, f.help),
    f.fix ? el('p', {}, (f.fix.applicability === 'safe' ? '可自动修正：' : '修正需人工判断：') + f.fix.description) : null,
    rule && rule.explanation ? el('details', {}, el('summary', {}, '规则说明'), el('pre', {}, rule.explanation)) : null,
    el('button', { type: 'button', class: 'back', 'data-back': String(f.id) }, '回到问题列表'));
  box.hidden = false;
}

function showTab(name) {
  for (const b of document.querySelectorAll('.tabs button')) b.classList.toggle('active', b.dataset.tab === name);
  for (const t of ['text', 'rules', 'inspect']) $('tab-' + t).hidden = t !== name;
}

function scrollToLine(line) {
  showTab('text');
  const text = state.result.text;
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  // Find the node holding that offset.
  let seen = 0;
  const walker = document.createTreeWalker($('doc'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (seen + node.length > offset) {
      const target = node.parentElement.tagName === 'MARK' ? node.parentElement : node.parentElement;
      const range = document.createRange();
      range.setStart(node, Math.min(offset - seen, node.length));
      const rect = range.getBoundingClientRect();
      const pane = document.querySelector('.pane-main');
      pane.scrollTop += rect.top - pane.getBoundingClientRect().top - 40;
      if (target.tagName === 'MARK') target.classList.add('flash');
      return;
    }
    seen += node.length;
  }
}

// MARK: Downloads

function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function stem(name) { return name.replace(/\.[^.]*$/, ''); }

async function downloadDocx() {
  clearError();
  if (!state.original) return;
  try {
    const response = await api('/api/annotate', formFor({ file: state.original }));
    download(stem(state.original.name) + '.审校.docx', await response.blob());
  } catch (e) {
    showError(e.message);
  }
}

// MARK: Wiring

async function loadRuleSets() {
  const select = $('ruleset');
  try {
    const response = await fetch('/api/rules');
    const body = await response.json();
    select.replaceChildren(...body.rulesets.map((name) => el('option', { value: name, selected: name === body.default }, name)));
  } catch (e) {
    select.replaceChildren(el('option', { value: 'default' }, 'default'));
  }
  try {
    const health = await (await fetch('/api/health')).json();
    state.annotate = !!health.annotate;
  } catch (e) { state.annotate = false; }
}

function chooseFile(file) {
  state.droppedFile = file;
  $('chosen').textContent = file ? '已选择：' + file.name : '';
}

document.addEventListener('DOMContentLoaded', () => {
  loadRuleSets();
  const drop = $('drop');
  drop.addEventListener('click', (e) => { if (e.target === drop || e.target.tagName === 'STRONG') $('file').click(); });
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') $('file').click(); });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer.files[0];
    if (file) { $('file').value = ''; chooseFile(file); check(); }
  });
  $('file').addEventListener('change', () => {
    chooseFile($('file').files[0] || null);
    if ($('file').files[0]) $('paste').value = '';
  });
  $('paste').addEventListener('input', () => {
    if ($('paste').value) { $('file').value = ''; chooseFile(null); }
  });
  $('config').addEventListener('change', () => {
    const file = $('config').files[0];
    $('config-name').textContent = file ? file.name : '未选择（使用上面的规则集）';
    $('config-clear').hidden = !file;
    $('ruleset').disabled = !!file;
  });
  $('config-clear').addEventListener('click', () => {
    $('config').value = '';
    $('config').dispatchEvent(new Event('change'));
  });
  $('check').addEventListener('click', check);
  $('fix-all').addEventListener('click', () => applyFix(undefined));
  $('download-text').addEventListener('click', () => {
    if (!state.result) return;
    download(stem(state.result.name) + (state.fixedAny ? '-修正' : '') + '.txt', new Blob([state.result.text], { type: 'text/plain;charset=utf-8' }));
  });
  $('download-json').addEventListener('click', () => {
    if (!state.result) return;
    const r = state.result;
    const json = JSON.stringify({ name: r.name, ruleset: r.ruleset, summary: r.summary, findings: r.findings }, null, 2);
    download(stem(r.name) + '-检查结果.json', new Blob([json], { type: 'application/json' }));
  });
  $('download-docx').addEventListener('click', downloadDocx);
  $('findings').addEventListener('click', (e) => {
    const fix = e.target.closest('button[data-fix]');
    if (fix) { e.stopPropagation(); applyFix(Number(fix.dataset.fix)); return; }
    const li = e.target.closest('li[data-id]');
    if (li) select(Number(li.dataset.id), 'list');
  });
  $('findings').addEventListener('keydown', (e) => {
    const li = e.target.closest('li[data-id]');
    if (li && e.key === 'Enter') select(Number(li.dataset.id), 'list');
  });
  $('doc').addEventListener('click', (e) => {
    const mark = e.target.closest('mark');
    if (mark) select(Number(mark.dataset.ids.split(' ')[0]), 'text');
  });
  $('detail').addEventListener('click', (e) => {
    const back = e.target.closest('button[data-back]');
    if (!back) return;
    const item = $('findings').querySelector('li[data-id="' + back.dataset.back + '"]');
    if (item) { item.scrollIntoView({ block: 'center' }); item.focus(); }
  });
  $('elements').addEventListener('click', (e) => {
    const kind = e.target.closest('[data-line]');
    if (kind) scrollToLine(Number(kind.dataset.line));
  });
  for (const b of document.querySelectorAll('.tabs button')) b.addEventListener('click', () => showTab(b.dataset.tab));
});
