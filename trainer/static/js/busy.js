// Long downloads and form posts (.js-busy forms, .js-busy-link links) show the #busy notice with
// the text of their data-busy attribute while the server works.
(function () {
  document.querySelectorAll('.js-busy, .js-busy-link').forEach(function (el) {
    el.addEventListener(el.tagName === 'FORM' ? 'submit' : 'click', function () {
      var source = el.tagName === 'FORM' ? el.querySelector('[data-busy]') : el;
      document.getElementById('busy-text').textContent = source.dataset.busy;
      document.getElementById('busy').classList.remove('d-none');
      if (el.tagName !== 'FORM') {
        setTimeout(function () { document.getElementById('busy').classList.add('d-none'); }, 8000);
      }
    });
  });
})();
