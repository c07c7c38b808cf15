// The organizer's badge scanner: marks a participant by the personal code read from the badge's QR code
// with the camera, or typed.
// Reading: the browser's own BarcodeDetector where it has one that reads QR codes (Android Chrome,
// macOS); elsewhere (Chromium and Edge on Windows and Linux, Firefox, Safari) the vendored ZXing
// library (static/vendor/zxing-library/), loaded only then, decodes a few frames a second drawn on a
// canvas. Plain JavaScript either way: nothing here needs more than the page's `script-src 'self'`.
// Data on the <script> element: data-api (the session's attendance API), data-csrf, data-decoder (the
// ZXing file) and the translated messages data-msg-* (see the template).
(function () {
  var data = document.currentScript.dataset;
  var QUIET_MS = 4000;  // the same code is posted again only after this long out of sight
  var FRAME_MS = 250;  // a pause between two reads: about 4 frames a second at most
  var MAX_SIDE = 960;  // frames are decoded at most this wide (a badge's code stays ~3 px a module)
  var CODE = /^[A-Z0-9]{4,12}$/;  // a personal code; a link (the projector's QR, a certificate's) is not
  var result = document.getElementById('result'), note = document.getElementById('camera-note');
  var video = document.getElementById('camera'), choice = document.getElementById('camera-choice');
  var lastSeen = {}, stream = null;

  function show(ok, text) {
    result.className = 'alert ' + (ok ? 'alert-success' : 'alert-danger'); result.textContent = text;
    var li = document.createElement('li'); li.textContent = text; document.getElementById('log').prepend(li);
  }
  // True when `key` was not seen in the last QUIET_MS; each sighting restarts the wait, so a badge held
  // in front of the camera is posted once, and again only after it has been away for QUIET_MS.
  function fresh(key) {
    var now = Date.now(), last = lastSeen[key];
    lastSeen[key] = now;
    return last === undefined || now - last > QUIET_MS;
  }
  // Posts a code; `offline()` runs when the server could not be reached (the code may be tried again).
  function post(code, offline) {
    fetch(data.api, {method: 'POST', credentials: 'same-origin',
                     headers: {'Content-Type': 'application/json', 'X-CSRFToken': data.csrf},
                     body: JSON.stringify({participant_code: code, method: 'badge'})})
      .then(function (r) { return r.json().then(function (b) { return [r.ok, b]; }); })
      .then(function (x) {
        var body = x[1];
        if (x[0]) {
          show(true, body.participant.full_name + ': '
                     + (body.status === 'checked_in' ? data.msgCheckedIn : data.msgAlready)
                     + (body.late ? ' (' + data.msgLate + ')' : ''));
        } else {
          show(false, code + ': ' + body.error.message);
        }
      }).catch(function () { show(false, code + ': ' + data.msgOffline); offline(); });
  }
  function typed(input) {
    var code = input.value.trim().toUpperCase();
    input.value = '';
    if (code && fresh(code)) {
      post(code, function () { delete lastSeen[code]; if (!input.value) input.value = code; });
    }
  }
  function read(text) {
    var code = (text || '').trim().toUpperCase();
    if (!CODE.test(code)) {
      if (fresh('?' + text)) show(false, data.msgNotBadge);
      return;
    }
    if (!fresh(code)) return;
    video.classList.add('border-success');  // the frame turns green for a moment: "read"
    setTimeout(function () { video.classList.remove('border-success'); }, 600);
    // While the badge stays in view, the code is tried again every QUIET_MS until the server answers.
    post(code, function () { setTimeout(function () { delete lastSeen[code]; }, QUIET_MS); });
  }
  document.getElementById('manual').addEventListener('submit', function (e) {
    e.preventDefault(); var input = document.getElementById('code'); typed(input); input.focus();
  });

  // Readers: `detect(video)` answers a promise of the texts of the QR codes in the current frame.
  function nativeReader() {
    if (!('BarcodeDetector' in window)) return Promise.resolve(null);
    return Promise.resolve(BarcodeDetector.getSupportedFormats()).then(function (formats) {
      if (formats.indexOf('qr_code') < 0) return null;
      var detector = new BarcodeDetector({formats: ['qr_code']});
      return {detect: function (source) {
        return detector.detect(source).then(function (codes) { return codes.map(function (c) { return c.rawValue; }); });
      }};
    }).catch(function () { return null; });
  }
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script'); s.src = src; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function zxingReader() {
    return (window.ZXing ? Promise.resolve() : loadScript(data.decoder)).then(function () {
      var Z = window.ZXing, reader = new Z.QRCodeReader(), hints = new Map([[Z.DecodeHintType.TRY_HARDER, true]]);
      var canvas = document.createElement('canvas'), context = canvas.getContext('2d', {willReadFrequently: true});
      return {detect: function (source) {
        var scale = Math.min(1, MAX_SIDE / Math.max(source.videoWidth, source.videoHeight));
        var w = Math.round(source.videoWidth * scale), h = Math.round(source.videoHeight * scale);
        if (!w || !h) return Promise.resolve([]);
        if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
        context.drawImage(source, 0, 0, w, h);
        var rgba = context.getImageData(0, 0, w, h).data, luma = new Uint8ClampedArray(w * h);
        for (var i = 0, j = 0; i < luma.length; i++, j += 4) {
          luma[i] = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29) >> 8;
        }
        try {
          var bitmap = new Z.BinaryBitmap(new Z.HybridBinarizer(new Z.RGBLuminanceSource(luma, w, h)));
          return Promise.resolve([reader.decode(bitmap, hints).getText()]);
        } catch (e) {  // no code in this frame (NotFound), or one only half seen (Checksum, Format)
          return Promise.resolve([]);
        }
      }};
    });
  }

  // The camera: the back one on a phone, the one chosen last time when there are several.
  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
  }
  function open(deviceId) {
    var size = {width: {ideal: 1280}, height: {ideal: 720}};
    var constraints = deviceId ? {deviceId: {exact: deviceId}} : {facingMode: 'environment'};
    stop();
    return navigator.mediaDevices.getUserMedia({audio: false, video: Object.assign(constraints, size)})
      .then(function (s) {
        stream = s; video.srcObject = s; video.hidden = false;
        var settings = s.getVideoTracks()[0].getSettings();
        // A laptop's camera faces the user: a mirrored preview moves the way the badge does.
        video.style.transform = settings.facingMode === 'environment' ? '' : 'scaleX(-1)';
        return video.play().catch(function () {}).then(function () { return settings.deviceId; });
      });
  }
  function remembered() {
    try { return localStorage.getItem('scan.camera'); } catch (e) { return null; }
  }
  function remember(deviceId) {
    try { localStorage.setItem('scan.camera', deviceId); } catch (e) { /* private mode: not remembered */ }
  }
  function offerCameras(current) {
    navigator.mediaDevices.enumerateDevices().then(function (devices) {
      var cameras = devices.filter(function (d) { return d.kind === 'videoinput'; });
      if (cameras.length < 2) return;
      choice.textContent = '';
      cameras.forEach(function (d, i) {
        var option = new Option(d.label || data.msgCamera + ' ' + (i + 1), d.deviceId, false, d.deviceId === current);
        choice.add(option);
      });
      choice.parentElement.hidden = false;
    }).catch(function () {});
  }
  function cameraFailed(error) {
    var name = error && error.name;
    video.hidden = true;
    note.textContent = name === 'NotAllowedError' || name === 'SecurityError' ? data.msgDenied
      : name === 'NotFoundError' || name === 'OverconstrainedError' ? data.msgNoCamera : data.msgCameraError;
  }
  function scan(reader) {
    note.textContent = data.msgAim;
    (function tick() {
      if (!stream || document.hidden || video.readyState < 2) { setTimeout(tick, FRAME_MS); return; }
      reader.detect(video).then(function (texts) { texts.forEach(read); }, function () {})
        .then(function () { setTimeout(tick, FRAME_MS); });
    })();
  }
  function start() {
    var saved = remembered();
    return (saved ? open(saved).catch(function () { return open(null); }) : open(null)).then(function (current) {
      offerCameras(current);
    });
  }

  if (!window.isSecureContext) { note.textContent = data.msgInsecure; return; }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;  // the template's note stays
  note.textContent = data.msgStarting;
  var reader = nativeReader().then(function (native) { return native || zxingReader(); });
  reader.catch(function () {});  // handled below, once the camera is open
  start().then(function () { return reader; }).then(scan, function (error) {
    if (stream) { stop(); video.hidden = true; note.textContent = data.msgNoDecoder; } else cameraFailed(error);
  });
  choice.addEventListener('change', function () {
    remember(choice.value);
    open(choice.value).catch(cameraFailed);
  });
  window.addEventListener('pagehide', stop);  // the camera's light goes off when the organizer leaves
  window.addEventListener('pageshow', function (e) { if (e.persisted) start().catch(cameraFailed); });
})();
