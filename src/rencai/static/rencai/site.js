// Behaviour that used to sit in inline handlers (onchange=, onclick=), which the Content-Security-Policy
// refuses: a select marked data-autosubmit submits its form when changed; a button marked data-print prints.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest && event.target.closest("[data-print]");
  if (el) { event.preventDefault(); window.print(); }
});

// Camera scanning for a code field: a button marked data-scan-for="<field id>" opens the back camera, reads a
// QR code with the browser's BarcodeDetector, puts its text into the field and submits the field's form. Where
// the browser has no BarcodeDetector or no camera the button stays hidden: a scanner gun (which types into the
// focused field) or pasting the code still works.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-scan-for]").forEach(function (button) {
    var field = document.getElementById(button.dataset.scanFor);
    if (!field || !("BarcodeDetector" in window) || !navigator.mediaDevices ||
        !navigator.mediaDevices.getUserMedia) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { scanInto(field, button); });
  });
});

function scanInto(field, button) {
  var video = document.createElement("video");
  video.setAttribute("playsinline", "");
  video.muted = true;
  video.className = "scan-video";
  button.after(video);
  button.disabled = true;
  var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  var stream = null;
  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    video.remove();
    button.disabled = false;
  }
  function look() {
    if (!video.isConnected) { return; }
    detector.detect(video).then(function (codes) {
      if (codes.length && codes[0].rawValue) {
        field.value = codes[0].rawValue;
        stop();
        if (field.form) { field.form.requestSubmit(); }
      } else {
        window.setTimeout(look, 250);
      }
    }).catch(function () { window.setTimeout(look, 500); });
  }
  navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
    .then(function (s) { stream = s; video.srcObject = s; return video.play(); })
    .then(look)
    .catch(function () {
      stop();
      button.insertAdjacentHTML("afterend", '<p class="msg error" role="alert">' + button.dataset.scanRefused + "</p>");
    });
}
