// helpgen default theme: small progressive enhancements. Every page works without this file.
(function () {
  'use strict';

  // The element a "#fragment" names, or null (also for a malformed percent-escape).
  function fragmentTarget(hash) {
    try {
      var id = decodeURIComponent(hash.slice(1));
      return id ? document.getElementById(id) : null;
    } catch (e) {
      return null;
    }
  }

  // Open the FAQ item the URL hash points at (or the one holding the target), then bring it into view.
  function openHashTarget() {
    var el = fragmentTarget(location.hash);
    var item = el && el.closest('details');
    if (!item) return;
    item.open = true;
    el.scrollIntoView();
  }

  // Mark the table-of-contents link of the heading being read (aria-current="location").
  function watchToc() {
    var links = document.querySelectorAll('.hg-toc a[href^="#"]');
    if (!links.length || !('IntersectionObserver' in window)) return;
    var byId = {};
    var targets = [];
    links.forEach(function (a) {
      var t = fragmentTarget(a.hash);
      if (t) { byId[t.id] = a; targets.push(t); }
    });
    var current = null;
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) return;
        if (current) current.removeAttribute('aria-current');
        current = byId[e.target.id];
        current.setAttribute('aria-current', 'location');
      });
    }, { rootMargin: '0px 0px -70% 0px' });
    targets.forEach(function (t) { io.observe(t); });
  }

  // Print every FAQ answer, then put the accordions back as they were.
  var closedForPrint = [];
  window.addEventListener('beforeprint', function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll('details:not([open])'), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener('afterprint', function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

  // localStorage, when the browser allows it (never cookies).
  function load(key) {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch (e) {
      return null;
    }
  }
  function save(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* private mode, storage full or disabled */ }
  }

  // "Was this helpful?": POST the vote as JSON to feedback.endpoint (fetch with keepalive, else
  // sendBeacon) instead of submitting the form; mailto votes open the mail app as plain links do.
  // Then say thanks, and after "No" show the ways to reach a person.
  function sendVote(endpoint, data) {
    var body = JSON.stringify(data);
    if (window.fetch) {
      fetch(endpoint, {
        method: 'POST', body: body, keepalive: true, credentials: 'omit', mode: 'cors',
        headers: { 'Content-Type': 'application/json' }
      }).catch(function () {});
    } else if (navigator.sendBeacon) {
      try { navigator.sendBeacon(endpoint, new Blob([body], { type: 'application/json' })); } catch (e) {}
    }
  }

  function watchFeedback() {
    var box = document.querySelector('[data-hg-feedback]');
    if (!box) return;
    var endpoint = box.getAttribute('data-hg-endpoint');
    box.addEventListener('click', function (ev) {
      var vote = ev.target.closest && ev.target.closest('[data-hg-vote]');
      if (!vote || !box.contains(vote)) return;
      var helpful = vote.getAttribute('data-hg-vote') === 'yes';
      if (endpoint) {
        ev.preventDefault();
        sendVote(endpoint, {
          page: box.getAttribute('data-hg-page'),
          url: box.getAttribute('data-hg-url') || location.href.split(/[?#]/)[0],
          title: box.getAttribute('data-hg-title'),
          lang: document.documentElement.lang,
          helpful: helpful
        });
      }
      var votes = box.querySelector('.hg-feedback-votes');
      var status = box.querySelector('[data-hg-feedback-status]');
      var no = box.querySelector('[data-hg-feedback-no]');
      if (status) status.textContent = box.getAttribute('data-hg-thanks');
      if (!helpful && no) {
        no.hidden = false;
        no.focus();
      } else if (status) {
        status.setAttribute('tabindex', '-1');
        status.focus();
      }
      // leave the mailto link its click before it disappears
      if (votes) setTimeout(function () { votes.hidden = true; }, 0);
    });
  }

  // Recently viewed: an article records itself (data-hg-recent-path, relative to the site root);
  // the home page lists the last few. Kept per site name and language.
  var RECENT_KEEP = 10, RECENT_SHOW = 5;
  function recentKey() {
    var site = document.querySelector('meta[property="og:site_name"]');
    return 'helpgen:recent:' + (site ? site.content : '') + ':' + document.documentElement.lang;
  }
  // Only paths inside the site: no scheme, query, fragment, leading slash, backslash or "..".
  function sitePath(p) {
    return typeof p === 'string' && p !== '' && !/[:?#\\]/.test(p) && p.charAt(0) !== '/' &&
      !/(^|\/)\.\.(\/|$)/.test(p);
  }
  function recentList() {
    var list = load(recentKey());
    return Array.isArray(list) ? list.filter(function (r) {
      return r && sitePath(r.path) && typeof r.title === 'string';
    }) : [];
  }
  function recordVisit() {
    var el = document.querySelector('[data-hg-recent-path]');
    var path = el && el.getAttribute('data-hg-recent-path');
    if (!sitePath(path)) return;
    var list = recentList().filter(function (r) { return r.path !== path; });
    list.unshift({ path: path, title: el.getAttribute('data-hg-recent-title') || path });
    save(recentKey(), list.slice(0, RECENT_KEEP));
  }
  function showRecent() {
    var box = document.querySelector('[data-hg-recent-list]');
    var ul = box && box.querySelector('ul');
    if (!ul) return;
    var root = box.getAttribute('data-hg-root') || './';
    recentList().slice(0, RECENT_SHOW).forEach(function (r) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + r.path;
      a.textContent = r.title;
      li.appendChild(a);
      ul.appendChild(li);
    });
    if (ul.children.length) box.hidden = false;
  }

  // Heading anchors: a "#" link at the start of every heading with an id, shown on hover and on
  // keyboard focus (positioned outside the text: adding it moves nothing).
  function addAnchors() {
    document.querySelectorAll('.hg-content[data-hg-anchor]').forEach(function (box) {
      var label = box.getAttribute('data-hg-anchor');
      box.querySelectorAll(':scope > h2[id], :scope > h3[id], :scope > h4[id]').forEach(function (h) {
        var a = document.createElement('a');
        a.className = 'hg-anchor';
        a.href = '#' + h.id;
        a.setAttribute('aria-label', label + ': ' + h.textContent);
        a.textContent = '#';
        h.appendChild(a);
      });
    });
  }

  // A copy button on every code block (without JavaScript the code is just readable and selectable).
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) { // plain http: the old way
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error('copy failed'));
    });
  }
  function addCopyButtons() {
    document.querySelectorAll('.hg-content[data-hg-copy]').forEach(function (box) {
      var label = box.getAttribute('data-hg-copy'), done = box.getAttribute('data-hg-copied');
      box.querySelectorAll('pre').forEach(function (pre) {
        var wrap = document.createElement('div');
        wrap.className = 'hg-code';
        pre.parentNode.insertBefore(wrap, pre);
        wrap.appendChild(pre);
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'hg-copy';
        b.textContent = label;
        b.setAttribute('aria-live', 'polite');
        var timer = 0;
        b.addEventListener('click', function () {
          copyText((pre.querySelector('code') || pre).textContent).then(function () {
            b.textContent = done;
            clearTimeout(timer);
            timer = setTimeout(function () { b.textContent = label; }, 2000);
          }, function () {});
        });
        wrap.appendChild(b);
      });
    });
  }

  // The small-screen menu (a details element): Escape and a click elsewhere close it.
  function watchMenu() {
    var menu = document.querySelector('.hg-menu');
    if (!menu) return;
    document.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Escape' || !menu.open) return;
      menu.open = false;
      menu.querySelector('summary').focus();
    });
    document.addEventListener('click', function (ev) {
      if (menu.open && !menu.contains(ev.target)) menu.open = false;
    });
  }

  addAnchors();
  addCopyButtons();
  watchMenu();
  window.addEventListener('hashchange', openHashTarget);
  openHashTarget();
  watchToc();
  watchFeedback();
  recordVisit();
  showRecent();
})();
