// Asks before a destructive action: a form with data-confirm asks before it is submitted, a
// button with data-confirm before its click submits. Loaded on every page by base.html.
(function () {
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-confirm], input[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  });
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });
})();
