(function () {
  'use strict';
  // Runs before anything else: a script error, a rejected promise or a resource the page's
  // Content-Security-Policy blocked is written into #nl-errors, so a reader (and the browser
  // test) sees that the page is not working as it should.
  var seen = [];
  function flush() {
    var box = document.getElementById('nl-errors');
    document.documentElement.setAttribute('data-nl-errors', String(seen.length));
    if (!box) { return; }
    box.hidden = false;
    box.textContent = '本页脚本出错，标记和筛选可能不完整：\n' + seen.join('\n');
  }
  function note(text) { seen.push(text); flush(); }
  window.addEventListener('error', function (e) {
    if (e.target && e.target !== window && e.target.tagName) {
      note('资源加载失败：' + e.target.tagName);
    } else {
      note((e.message || '脚本错误') + (e.filename ? '（' + e.filename + ':' + e.lineno + '）' : ''));
    }
  }, true);
  window.addEventListener('unhandledrejection', function (e) { note('未处理的异步错误：' + e.reason); });
  document.addEventListener('securitypolicyviolation', function (e) {
    note('内容安全策略拦截：' + e.violatedDirective + ' ' + (e.blockedURI || ''));
  });
  document.addEventListener('DOMContentLoaded', function () { if (seen.length) { flush(); } });
})();
