// Gongzhi's small script: confirmations for deletes and reading a chosen CSV file into the import box.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
document.addEventListener("change", function (e) {
  var target = e.target.getAttribute && e.target.getAttribute("data-fill");
  if (!target || !e.target.files || !e.target.files[0]) { return; }
  var reader = new FileReader();
  reader.onload = function () { document.getElementById(target).value = reader.result; };
  reader.readAsText(e.target.files[0], "utf-8");
});
