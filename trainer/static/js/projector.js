// The projector page: polls the session's live state and redraws the QR, the code and the list.
// Data: the <script> element's data-live-url (the state's URL) and data-token (the QR on the page).
// The poll revalidates with the ETag (cache: no-cache): an unchanged state costs a 304 and no body, and
// `?qr=` leaves the QR's SVG out of the answer while the one on the screen is still current.
(function () {
  var script = document.currentScript;
  var url = script.dataset.liveUrl, lastToken = script.dataset.token;
  var SHOWN = 80;  // the latest arrivals the screen lists, newest first (the count above has everyone)
  function render(s) {
    if (s.qr_svg && s.token !== lastToken) {
      var qr = document.getElementById('qr'); qr.innerHTML = s.qr_svg; qr.dataset.url = s.url; lastToken = s.token;
    }
    document.getElementById('code').textContent = s.code;
    document.getElementById('present').textContent = s.present;
    document.getElementById('enrolled').textContent = s.enrolled;
    document.getElementById('flagged-count').textContent = s.flagged;
    document.getElementById('flagged').hidden = !s.flagged;
    document.getElementById('closed').hidden = s.open;
    var ol = document.getElementById('attendees'), shown = s.attendees.slice(0, SHOWN); ol.textContent = '';
    ol.dataset.size = shown.length <= 24 ? 's' : shown.length <= 45 ? 'm' : 'l';
    document.getElementById('more').hidden = s.present <= SHOWN;
    shown.forEach(function (a, i) {
      var li = document.createElement('li'), n = document.createElement('span');
      n.className = 'n'; n.textContent = s.present - i; li.appendChild(n);
      li.appendChild(document.createTextNode(a.full_name + ' '));
      if (a.flagged) { var flag = document.createElement('b'); flag.className = 'flag'; flag.textContent = '? '; li.appendChild(flag); }
      var small = document.createElement('small'); small.textContent = a.at; li.appendChild(small);
      if (a.late) li.className = 'late';
      ol.appendChild(li);
    });
  }
  function poll() {
    fetch(url + '?qr=' + encodeURIComponent(lastToken), {credentials: 'same-origin', cache: 'no-cache'})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) render(s); }).catch(function () {}).then(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();
