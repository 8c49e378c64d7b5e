(function () {
  'use strict';
  // The newslint report's behaviour: a popup with every finding under the pointer, the keyboard
  // focus or a tap; filters by rule and severity; links to a finding (#f12, #f12l0) that focus
  // its mark. The marks themselves are in the HTML (the page works without this script).
  var doc = document;
  var pop = doc.getElementById('nl-pop');
  var form = doc.getElementById('nl-filters');
  var items = Object.create(null);
  var keys = [];
  Array.prototype.forEach.call(doc.querySelectorAll('li.fd'), function (li) {
    var k = li.getAttribute('data-k');
    items[k] = li;
    keys.push(k);
  });
  var marks = Array.prototype.slice.call(doc.querySelectorAll('mark.m'));
  // Tab stops as written: the first piece of each finding or label.
  var stops = marks.map(function (m) { return m.tabIndex === 0; });
  var hiddenRule = Object.create(null);
  var hiddenSev = Object.create(null);
  var RANK = { error: 3, warning: 2, info: 1 };
  var CLASS = { error: 'e', warning: 'w', info: 'i' };

  function words(s) { return s ? s.split(' ') : []; }
  function owner(l) { return l.split('.')[0]; }
  function shown(k) {
    var li = items[k];
    return !!li && !hiddenRule[li.getAttribute('data-rule')] && !hiddenSev[li.getAttribute('data-sev')];
  }
  function visibleOf(m) {
    return {
      f: words(m.getAttribute('data-f')).filter(shown),
      l: words(m.getAttribute('data-l')).filter(function (l) { return shown(owner(l)); })
    };
  }

  // Colour a mark by the most severe finding still shown on it.
  function paint(m, i) {
    var v = visibleOf(m);
    var best = 0;
    var cls = '';
    (v.f.length ? v.f : v.l.map(owner)).forEach(function (k) {
      var s = items[k].getAttribute('data-sev');
      if (RANK[s] > best) { best = RANK[s]; cls = CLASS[s]; }
    });
    m.classList.remove('e', 'w', 'i');
    if (cls) { m.classList.add(cls); }
    m.classList.toggle('x', v.f.length > 1);
    m.classList.toggle('lb', v.f.length === 0 && v.l.length > 0);
    m.classList.toggle('off', v.f.length === 0 && v.l.length === 0);
    m.tabIndex = (v.f.length || v.l.length) && stops[i] ? 0 : -1;
  }

  function apply() {
    hide();
    marks.forEach(paint);
    var n = 0;
    keys.forEach(function (k) {
      var ok = shown(k);
      items[k].hidden = !ok;
      if (ok) { n += 1; }
    });
    Array.prototype.forEach.call(doc.querySelectorAll('section.file'), function (s) {
      s.classList.toggle('quiet', !s.querySelector('li.fd:not([hidden])'));
    });
    var c = doc.getElementById('nl-shown');
    if (c) { c.textContent = '显示 ' + n + ' / ' + keys.length + ' 个问题'; }
  }

  // The popup: copies of the list entries of the findings on a mark.
  var current = null;
  var timer = 0;
  function card(k, j) {
    var c = items[k].cloneNode(true);
    c.removeAttribute('id');
    c.hidden = false;
    Array.prototype.forEach.call(c.querySelectorAll('[id]'), function (e) { e.removeAttribute('id'); });
    if (j !== null) {
      var lab = c.querySelector('.lbs > li[data-j="' + j + '"]');
      if (lab) { lab.classList.add('here'); }
      var via = doc.createElement('p');
      via.className = 'via';
      via.textContent = '这里是下面这个问题的相关位置：';
      c.insertBefore(via, c.firstChild);
    }
    return c;
  }
  function fill(m) {
    var v = visibleOf(m);
    var list = doc.createElement('ul');
    list.className = 'cards';
    v.f.forEach(function (k) { list.appendChild(card(k, null)); });
    v.l.forEach(function (l) {
      var p = l.split('.');
      list.appendChild(card(p[0], p[1]));
    });
    pop.textContent = '';
    pop.appendChild(list);
    return v.f.length + v.l.length;
  }
  function place(m) {
    var narrow = window.innerWidth <= 640;
    pop.classList.toggle('sheet', narrow);
    if (narrow) {
      pop.style.left = '';
      pop.style.top = '';
      return;
    }
    var r = m.getBoundingClientRect();
    var width = doc.documentElement.clientWidth;
    var left = Math.max(8, Math.min(r.left, width - pop.offsetWidth - 8));
    var top = r.bottom + 6;
    if (top + pop.offsetHeight > window.innerHeight && r.top - pop.offsetHeight - 6 > 0) {
      top = r.top - pop.offsetHeight - 6;
    }
    pop.style.left = (left + window.pageXOffset) + 'px';
    pop.style.top = (top + window.pageYOffset) + 'px';
  }
  function show(m) {
    clearTimeout(timer);
    if (current === m && !pop.hidden) { return; }
    hide();
    if (!fill(m)) { return; }
    current = m;
    m.classList.add('cur');
    m.setAttribute('aria-describedby', 'nl-pop');
    pop.hidden = false;
    place(m);
  }
  function hide() {
    clearTimeout(timer);
    if (current) {
      current.classList.remove('cur');
      current.removeAttribute('aria-describedby');
    }
    current = null;
    pop.hidden = true;
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(hide, 300);
  }
  function markOf(t) {
    return t && t.closest ? t.closest('mark.m') : null;
  }

  // Go to a finding or one of its labels: open its list if needed, scroll, focus, show.
  function go(id) {
    var p = /^f(\d+)(?:l(\d+))?$/.exec(id);
    if (!p) { return false; }
    var sel = p[2] === undefined ? 'mark.m[data-f~="' + p[1] + '"]' : 'mark.m[data-l~="' + p[1] + '.' + p[2] + '"]';
    var m = doc.querySelector(sel);
    if (!m) { return false; }
    if (m.classList.contains('off')) {
      var li = items[p[1]];
      if (li) {
        hiddenRule[li.getAttribute('data-rule')] = false;
        hiddenSev[li.getAttribute('data-sev')] = false;
        sync();
        apply();
      }
    }
    m.scrollIntoView({ block: 'center' });
    m.focus({ preventScroll: true });
    show(m);
    return true;
  }

  doc.addEventListener('mouseover', function (e) {
    var m = markOf(e.target);
    if (m && !m.classList.contains('off')) {
      show(m);
    } else if (pop.contains(e.target)) {
      clearTimeout(timer);
    }
  });
  doc.addEventListener('mouseout', function (e) {
    if (markOf(e.target) || pop.contains(e.target)) { later(); }
  });
  doc.addEventListener('focusin', function (e) {
    var m = markOf(e.target);
    if (m) {
      show(m);
    } else if (!pop.contains(e.target)) {
      hide();
    }
  });
  doc.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a[href^="#f"]') : null;
    if (a && go(a.getAttribute('href').slice(1))) {
      e.preventDefault();
      try { history.replaceState(null, '', a.getAttribute('href')); } catch (err) { /* file: URLs may refuse */ }
      return;
    }
    var m = markOf(e.target);
    if (m) {
      if (!m.classList.contains('off')) { show(m); }
    } else if (!pop.contains(e.target)) {
      hide();
    }
  });
  doc.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !pop.hidden) { hide(); }
  });
  window.addEventListener('resize', function () { if (current) { place(current); } });
  window.addEventListener('hashchange', function () { go(location.hash.slice(1)); });

  // Filters.
  function sync() {
    Array.prototype.forEach.call(form.querySelectorAll('input[type=checkbox]'), function (box) {
      var r = box.getAttribute('data-rule');
      var s = box.getAttribute('data-sev');
      box.checked = r !== null ? !hiddenRule[r] : !hiddenSev[s];
    });
  }
  form.addEventListener('change', function (e) {
    var box = e.target;
    var r = box.getAttribute('data-rule');
    var s = box.getAttribute('data-sev');
    if (r !== null) { hiddenRule[r] = !box.checked; }
    if (s !== null) { hiddenSev[s] = !box.checked; }
    apply();
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  function setRules(on, only) {
    Array.prototype.forEach.call(form.querySelectorAll('input[data-rule]'), function (box) {
      var r = box.getAttribute('data-rule');
      hiddenRule[r] = only !== undefined ? r !== only : !on;
    });
    if (only !== undefined) { hiddenSev = Object.create(null); }
    sync();
    apply();
  }
  form.addEventListener('click', function (e) {
    var act = e.target.getAttribute && e.target.getAttribute('data-act');
    if (act) { setRules(act === 'all'); }
  });
  Array.prototype.forEach.call(doc.querySelectorAll('button.only'), function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      setRules(true, b.getAttribute('data-rule'));
      form.scrollIntoView({ block: 'start' });
    });
  });
  form.hidden = false;
  apply();
  if (location.hash) { go(location.hash.slice(1)); }
  doc.documentElement.setAttribute('data-nl-ready', String(marks.length));
})();
