// The projector page: polls the session's live state and redraws the QR, the code and the list.
// Data: the <script> element's data-live-url (the state's URL) and data-token (the QR on the page).
(function () {
  var script = document.currentScript;
  var url = script.dataset.liveUrl, lastToken = script.dataset.token;
  function render(s) {
    if (s.token !== lastToken) {
      var qr = document.getElementById('qr'); qr.innerHTML = s.qr_svg; qr.dataset.url = s.url; lastToken = s.token;
    }
    document.getElementById('code').textContent = s.code;
    document.getElementById('present').textContent = s.present;
    document.getElementById('enrolled').textContent = s.enrolled;
    document.getElementById('closed').hidden = s.open;
    var ol = document.getElementById('attendees'); ol.textContent = '';
    s.attendees.forEach(function (a) {
      var li = document.createElement('li'); li.textContent = a.full_name + ' ';
      var small = document.createElement('small'); small.textContent = a.at; li.appendChild(small);
      if (a.late) li.className = 'late';
      ol.appendChild(li);
    });
  }
  function poll() {
    fetch(url, {credentials: 'same-origin', cache: 'no-store'}).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) render(s); }).catch(function () {}).then(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();
