// flows.js - the step-by-step widget of a self-service flow page.
// Every step and outcome of a flow is its own static page (flows/SLUG/...),
// so the flow works without JavaScript. With it, choosing an option answers
// in place: the next question or the outcome replaces the current step, the
// answers so far are listed above it (each one a way back), the address bar
// follows (history.pushState to the step's own URL, so Back, reload and
// sharing work) and focus moves to the new heading for screen readers.
// The flow comes from <script type="application/json" class="hg-flow-data">,
// whose URLs are relative to the flow's start page.
(() => {
  'use strict';
  const root = document.querySelector('[data-hg-flow]');
  const dataEl = document.querySelector('script.hg-flow-data');
  if (!root || !dataEl || !window.URL) return;
  let flow;
  try {
    flow = JSON.parse(dataEl.textContent);
  } catch {
    return;
  }
  const nodes = flow.nodes || {};
  const start = flow.start;
  const s = flow.strings || {};
  const body = root.querySelector('.hg-flow-body');
  const current = root.getAttribute('data-hg-flow-node');
  if (!body || !nodes[start] || !nodes[current]) return;
  // resolve every URL now, before pushState moves the document's URL
  const base = new URL(root.getAttribute('data-hg-flow-start') || '.', document.baseURI);
  const abs = (u) => new URL(u, base).href;
  const pageTitle = document.title;
  const dash = pageTitle.lastIndexOf(' – ');
  const siteSuffix = dash >= 0 ? pageTitle.slice(dash) : '';
  const crumb = document.querySelector('.hg-crumbs [aria-current]');

  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else e.setAttribute(k, v);
    }
    for (const k of kids) if (k != null) e.append(k);
    return e;
  };

  // the answers so far, as the static page lists them
  const initialTrail = [...root.querySelectorAll('.hg-flow-trail a[data-hg-step]')]
    .map((a) => [a.getAttribute('data-hg-step'), Number(a.getAttribute('data-hg-option'))])
    .filter(([step, k]) => nodes[step] && nodes[step].options && nodes[step].options[k]);

  // Links inside an answer were written for the start page's folder.
  function fixLinks(container) {
    for (const [sel, attr] of [['a[href]', 'href'], ['img[src]', 'src']]) {
      for (const e of container.querySelectorAll(sel)) {
        const raw = e.getAttribute(attr);
        if (!raw || raw.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//')) continue;
        e.setAttribute(attr, abs(raw));
      }
    }
  }

  function titleOf(id) {
    const n = nodes[id];
    if (id === start) return flow.title;
    return (n.type === 'question' ? n.question : n.label) + ' – ' + flow.title;
  }

  function stepSection(id, state) {
    const n = nodes[id];
    const sec = el('section', { class: 'hg-flow-step', 'aria-live': 'polite' });
    if (n.type === 'question') {
      sec.append(el('h2', { class: 'hg-flow-question', tabindex: '-1' }, n.question));
      if (s.choose) sec.append(el('p', { class: 'hg-flow-hint' }, s.choose));
      const ul = el('ul', { class: 'hg-flow-options' });
      n.options.forEach((o, k) => {
        const target = nodes[o.to];
        if (!target) return;
        const a = el('a', { class: 'hg-flow-option', href: abs(target.url), 'data-hg-to': o.to }, o.label);
        a.addEventListener('click', (ev) => {
          if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
          ev.preventDefault();
          go({ node: o.to, trail: state.trail.concat([[id, k]]) }, true);
        });
        ul.append(el('li', null, a));
      });
      sec.append(ul);
      return sec;
    }
    sec.append(el('h2', { class: 'hg-flow-question', tabindex: '-1' }, n.label));
    if (n.type === 'answer') {
      const div = el('div', { class: 'hg-content hg-flow-answer' });
      div.innerHTML = n.html; // helpgen's own rendering of the flow file's Markdown
      fixLinks(div);
      sec.append(div);
    } else if (n.type === 'article') {
      sec.append(el('p', null, s.articleIntro || ''));
      sec.append(el('a', { class: 'hg-flow-article', href: abs(n.href) },
        el('span', { class: 'hg-flow-article-title' }, n.title),
        n.description ? el('span', { class: 'hg-flow-article-desc' }, n.description) : null,
        el('span', { class: 'hg-flow-article-cta' }, s.readArticle || '')));
    } else {
      sec.append(el('p', { class: 'hg-flow-contact' }, s.contact || ''));
      const contact = document.getElementById('hg-contact-title');
      if (contact) sec.append(el('p', null, el('a', { class: 'hg-button', href: '#hg-contact-title' }, contact.textContent)));
    }
    return sec;
  }

  function render(state, focus) {
    const parts = [];
    if (state.trail.length) {
      const ol = el('ol');
      state.trail.forEach(([step, k], i) => {
        const n = nodes[step];
        const a = el('a', { href: abs(n.url), 'data-hg-step': step, 'data-hg-option': String(k) },
          el('span', { class: 'hg-flow-trail-q' }, n.question), ' ',
          el('span', { class: 'hg-flow-trail-a' }, n.options[k].label));
        a.addEventListener('click', (ev) => {
          if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
          ev.preventDefault();
          go({ node: step, trail: state.trail.slice(0, i) }, true);
        });
        ol.append(el('li', null, a));
      });
      parts.push(el('section', { class: 'hg-flow-trail', 'aria-labelledby': 'hg-flow-trail-title' },
        el('h2', { id: 'hg-flow-trail-title', class: 'visually-hidden' }, s.yourAnswers || ''), ol));
    }
    parts.push(stepSection(state.node, state));
    if (state.node !== start) {
      const a = el('a', { class: 'hg-flow-restart', href: abs(nodes[start].url), 'data-hg-to': '' }, s.startOver || '');
      a.addEventListener('click', (ev) => {
        if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        go({ node: start, trail: [] }, true);
      });
      parts.push(el('p', { class: 'hg-flow-actions' }, a));
    }
    body.replaceChildren(...parts);
    root.setAttribute('data-hg-flow-node', state.node);
    document.title = titleOf(state.node) + siteSuffix;
    if (crumb) crumb.textContent = state.node === start ? flow.title
      : nodes[state.node].type === 'question' ? nodes[state.node].question : nodes[state.node].label;
    if (focus) {
      const h = body.querySelector('.hg-flow-question');
      if (h) h.focus();
    }
  }

  function go(state, push) {
    if (push) {
      try {
        history.pushState({ hgFlow: flow.slug, node: state.node, trail: state.trail }, '', abs(nodes[state.node].url));
      } catch {
        // file:// pages may refuse a new URL; the widget works in place anyway
      }
    }
    render(state, true);
  }

  window.addEventListener('popstate', (ev) => {
    const st = ev.state;
    if (!st || st.hgFlow !== flow.slug || !nodes[st.node]) return;
    render({ node: st.node, trail: st.trail || [] }, true);
  });

  // pushState changes the URL relative links resolve against (a later step
  // can be a folder deeper), so every relative URL of the page - links, the
  // favicon, the search form and index - becomes absolute first.
  const relative = (u) => u && !u.startsWith('#') && !u.startsWith('//') && !/^[a-z][a-z0-9+.-]*:/i.test(u);
  for (const [sel, attr] of [['a[href]', 'href'], ['link[href]', 'href'], ['img[src]', 'src'],
    ['form[action]', 'action'], ['meta[name="helpgen:search"]', 'content'], ['[data-hg-root]', 'data-hg-root']]) {
    for (const e of document.querySelectorAll(sel)) {
      const v = e.getAttribute(attr);
      if (relative(v)) e.setAttribute(attr, new URL(v, document.baseURI).href);
    }
  }

  const state = { node: current, trail: initialTrail };
  try {
    history.replaceState({ hgFlow: flow.slug, node: state.node, trail: state.trail }, '');
  } catch {
    // ignore
  }
  root.classList.add('hg-flow-js');
  render(state, false);
})();
