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

  window.addEventListener('hashchange', openHashTarget);
  openHashTarget();
  watchToc();
})();
