// New course: the title follows the curriculum and the start date's year until the user writes
// their own. Data: the JSON block whose id is the <script> element's data-titles ({code: title}).
(function () {
  const titles = JSON.parse(document.getElementById(document.currentScript.dataset.titles).textContent);
  const curriculum = document.getElementById("curriculum");
  const title = document.getElementById("title");
  const start = document.getElementById("start_date");
  let automatic = title.value;
  function suggest() {
    if (title.value.trim() !== "" && title.value !== automatic) { return; }
    const year = (start.value || "").slice(0, 4);
    automatic = (titles[curriculum.value] || "").replace(/\d{4}$/, /^\d{4}$/.test(year) ? year : "$&");
    title.value = automatic;
  }
  curriculum.addEventListener("change", suggest);
  start.addEventListener("change", suggest);
})();
