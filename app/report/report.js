// Filters for the results table. Without this script every row stays
// visible and the filter form stays hidden. ES5 only, for old browsers.
(function () {
  var form = document.getElementById('filters');
  var shown = document.getElementById('shown');
  if (!form || !form.querySelectorAll) { return; }
  // The findings and the other checks are two tables; both are filtered.
  var rows = document.querySelectorAll('table.results tbody tr');
  var boxes = form.querySelectorAll('input[name=status]');
  var known = {};
  for (var k = 0; k < boxes.length; k++) { known[boxes[k].value] = true; }

  function apply() {
    var want = {};
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) { want[boxes[i].value] = true; }
    }
    var cap = form.elements.cap.value;
    var q = form.elements.q.value.replace(/^\s+|\s+$/g, '').toLowerCase();
    var total = 0, n = 0;
    for (var j = 0; j < rows.length; j++) {
      var row = rows[j];
      var st = row.getAttribute('data-status');
      if (st === null) { continue; }
      total++;
      // A status without a checkbox is never hidden.
      var ok = !known.hasOwnProperty(st) || want.hasOwnProperty(st);
      if (ok && cap) {
        ok = (' ' + row.getAttribute('data-caps') + ' ').indexOf(' ' + cap + ' ') >= 0;
      }
      if (ok && q) {
        ok = (row.textContent || row.innerText || '').toLowerCase().indexOf(q) >= 0;
      }
      row.style.display = ok ? '' : 'none';
      if (ok) { n++; }
    }
    shown.innerHTML = '';
    shown.appendChild(document.createTextNode('Showing ' + n + ' of ' + total + ' checks.'));
  }

  function later() { setTimeout(apply, 0); }
  form.onsubmit = function () { return false; };
  form.onchange = apply;
  form.onreset = later;
  form.elements.q.onkeyup = apply;
  form.elements.q.oninput = apply;
  document.getElementById('findings').onclick = function () {
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].checked = boxes[i].value === 'fail' || boxes[i].value === 'error';
    }
    apply();
  };
  form.hidden = false;
  shown.hidden = false;
  apply();
})();
