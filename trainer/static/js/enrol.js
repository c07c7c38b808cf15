// The enrol page: a running count "Đã chọn N người", and the "Đã chọn" list also shows the people ticked in the
// current search (a mirror box without a name, so nobody is sent twice; unticking it unticks the result).
// Without JavaScript the page still works: the search button posts the ticked boxes along (see enrol.html).
(function () {
  var form = document.getElementById("enrol-form");
  if (!form) { return; }
  var section = document.getElementById("chosen");
  var list = document.getElementById("chosen-list");
  var status = document.getElementById("chosen-status");
  var heading = section.querySelector(".chosen-count");

  function mirrorOf(box) { return list.querySelector('li[data-pick="' + box.id + '"]'); }

  function addMirror(box) {
    var item = document.createElement("li");
    item.className = "form-check";
    item.dataset.pick = box.id;
    var mirror = document.createElement("input");
    mirror.type = "checkbox";
    mirror.className = "form-check-input mirror";
    mirror.id = "m" + box.id;
    mirror.checked = true;
    var label = document.createElement("label");
    label.className = "form-check-label text-break";
    label.htmlFor = mirror.id;
    label.textContent = box.closest("tr").querySelector("label").textContent;
    item.append(mirror, " ", label);
    list.appendChild(item);
  }

  function sync() {
    form.querySelectorAll("input.pick").forEach(function (box) {
      var item = mirrorOf(box);
      if (box.checked && !item) { addMirror(box); }
      else if (!box.checked && item) { item.remove(); }
    });
    var n = String(form.querySelectorAll('input[name="participant_ids"]:checked').length);
    heading.textContent = n;
    status.textContent = status.dataset.template.replace("__N__", n);
    section.hidden = list.children.length === 0;
  }

  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("mirror")) {
      document.getElementById(event.target.closest("li").dataset.pick).checked = false;
    }
    sync();
  });
  sync();
})();
