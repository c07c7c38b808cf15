// The organizer's badge scanner: marks a participant by the code typed or read from the camera.
// Data on the <script> element: data-api (the session's attendance API), data-csrf, and the
// translated messages data-msg-checked-in, -already, -offline, -aim.
(function () {
  var data = document.currentScript.dataset;
  var busy = {}, result = document.getElementById('result');
  function show(ok, text) {
    result.className = 'alert ' + (ok ? 'alert-success' : 'alert-danger'); result.textContent = text;
    var li = document.createElement('li'); li.textContent = text; document.getElementById('log').prepend(li);
  }
  function mark(code) {
    code = (code || '').trim().toUpperCase();
    if (!code || busy[code]) return;
    busy[code] = true; setTimeout(function () { delete busy[code]; }, 4000);
    fetch(data.api, {method: 'POST', credentials: 'same-origin',
                     headers: {'Content-Type': 'application/json', 'X-CSRFToken': data.csrf},
                     body: JSON.stringify({participant_code: code, method: 'badge'})})
      .then(function (r) { return r.json().then(function (b) { return [r.ok, b]; }); })
      .then(function (x) {
        if (x[0]) show(true, x[1].participant.full_name + ': '
                             + (x[1].status === 'checked_in' ? data.msgCheckedIn : data.msgAlready));
        else show(false, code + ': ' + x[1].error.message);
      }).catch(function () { show(false, data.msgOffline); });
  }
  document.getElementById('manual').addEventListener('submit', function (e) {
    e.preventDefault(); var input = document.getElementById('code'); mark(input.value); input.value = ''; input.focus();
  });
  if ('BarcodeDetector' in window && navigator.mediaDevices) {
    var detector = new BarcodeDetector({formats: ['qr_code']}), video = document.getElementById('camera');
    navigator.mediaDevices.getUserMedia({video: {facingMode: 'environment'}}).then(function (stream) {
      video.srcObject = stream; video.hidden = false; video.play();
      document.getElementById('camera-note').textContent = data.msgAim;
      (function tick() {
        detector.detect(video).then(function (codes) { codes.forEach(function (c) { mark(c.rawValue); }); })
          .catch(function () {}).then(function () { setTimeout(tick, 300); });
      })();
    }).catch(function () {});
  }
})();
