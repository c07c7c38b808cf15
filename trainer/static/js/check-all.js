// The #check-all box ticks or clears every input.pick box of the page.
(function () {
  document.getElementById("check-all").addEventListener("change", function (event) {
    document.querySelectorAll("input.pick").forEach(function (box) { box.checked = event.target.checked; });
  });
})();
