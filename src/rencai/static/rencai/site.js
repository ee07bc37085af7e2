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
