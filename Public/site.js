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
// A refused form shown again: put back what was typed into the form posted to its address, and
// each message beside its field (the page lists them all at the top as well).
(function () {
  var data = document.getElementById("form-state");
  if (!data) { return; }
  var state;
  try { state = JSON.parse(data.textContent); } catch (e) { return; }
  // The form posted to that address; of several (one per action), the one whose hidden fields match what was sent.
  var form = null;
  Array.prototype.forEach.call(document.forms, function (f) {
    if (form || new URL(f.action, location.href).pathname !== state.action) { return; }
    var same = Array.prototype.every.call(f.querySelectorAll("input[type=hidden]"), function (h) {
      return h.name === "_csrf" || !(h.name in (state.values || {})) || state.values[h.name] === h.value;
    });
    if (same) { form = f; }
  });
  if (!form) { return; }
  Object.keys(state.values || {}).forEach(function (name) {
    var value = state.values[name];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== name || el.type === "hidden" || el.type === "password" || el.type === "file") { return; }
      if (el.type === "radio" || el.type === "checkbox") { el.checked = el.value === value; } else { el.value = value; }
    });
  });
  var first = null;
  Object.keys(state.errors || {}).forEach(function (field) {
    var name = field;
    var el = form.elements[name] || form.elements[name.replace(/^.*\./, "")];
    if (!el) { return; }
    var anchor = el.length && !el.tagName ? el[el.length - 1] : el;
    var holder = anchor.closest ? (anchor.closest(".field, fieldset") || anchor.parentNode) : anchor.parentNode;
    var p = holder.querySelector ? holder.querySelector("p.error") : null;
    if (!p) {
      p = document.createElement("p");
      p.className = "error";
      p.textContent = state.errors[field];
      holder.appendChild(p);
    }
    p.id = p.id || "error-" + name.replace(/[^A-Za-z0-9_-]/g, "-");
    if (holder.classList) { holder.classList.add("invalid"); }
    var target = el.length && !el.tagName ? el[0] : el;
    target.setAttribute("aria-invalid", "true");
    target.setAttribute("aria-describedby", p.id);
    if (!first) { first = target; }
  });
  if (first && first.focus) { first.focus(); }
})();
// A print button (receipts, notices): the page's own print stylesheet leaves out the navigation.
document.addEventListener("click", function (e) {
  if (e.target.closest && e.target.closest("[data-print]")) { window.print(); }
});
// The command centre's board: alerts raised or changed anywhere arrive over server-sent events as
// ready-made rows; a row already shown is replaced, a new one goes on top. On the "open" view a
// closed or cleared alert leaves the board. EventSource reconnects by itself, resuming after the
// last event it saw.
(function () {
  var table = document.getElementById("alert-board");
  if (!table || !window.EventSource) { return; }
  var body = table.querySelector("tbody");
  var status = document.getElementById("live-status");
  var empty = document.getElementById("board-empty");
  var openOnly = table.getAttribute("data-open-only") === "1";
  var source = new EventSource(table.getAttribute("data-stream"));
  function refreshEmpty() { if (empty) { empty.hidden = body.children.length > 0; } }
  source.addEventListener("alert", function (e) {
    var data;
    try { data = JSON.parse(e.data); } catch (err) { return; }
    var holder = document.createElement("tbody");
    holder.innerHTML = data.html;
    var row = holder.firstElementChild;
    var old = body.querySelector('tr[data-alert-id="' + data.id + '"]');
    if (openOnly && !data.open) {
      if (old) { old.parentNode.removeChild(old); }
    } else if (old) {
      old.parentNode.replaceChild(row, old);
    } else {
      row.classList.add("alert-new");
      body.insertBefore(row, body.firstChild);
    }
    refreshEmpty();
  });
  source.addEventListener("open", function () { if (status) { status.textContent = status.getAttribute("data-live"); status.classList.remove("lost"); } });
  source.addEventListener("error", function () { if (status) { status.textContent = status.getAttribute("data-lost"); status.classList.add("lost"); } });
})();
