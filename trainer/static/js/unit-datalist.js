// Inputs with list="unit-options": the units matching what is typed, searched as one types.
// Data on the <script> element: data-url (the units API) and data-scheme.
(function () {
  const data = document.currentScript.dataset;
  const list = document.getElementById("unit-options");
  let timer = null;
  document.querySelectorAll('input[list="unit-options"]').forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      const q = input.value.trim();
      if (q.length < 2 || q.indexOf(" - ") !== -1) { return; }
      timer = setTimeout(async function () {
        const response = await fetch(data.url + "?per_page=30&scheme=" + encodeURIComponent(data.scheme)
                                     + "&q=" + encodeURIComponent(q));
        if (!response.ok) { return; }
        const found = await response.json();
        list.replaceChildren(...found.items.map(function (unit) {
          const option = document.createElement("option");
          option.value = unit.code + " - " + unit.name;
          return option;
        }));
      }, 250);
    });
  });
})();
