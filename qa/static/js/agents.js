/* Agent page: weekly average scores as a line chart (data from the page's JSON block). */
(function () {
  "use strict";
  var canvas = document.getElementById("agent-score-chart");
  var source = document.getElementById("agent-score-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [{ label: data.label, data: data.values, spanGaps: true, tension: 0.2 }]
    },
    options: { scales: { y: { min: 0, max: 100 } }, plugins: { legend: { display: false } } }
  });
})();
