// Dashboard charts: a funnel and two weekly trends, drawn with the vendored Chart.js.
// The figures come from the page's JSON block (never from markup), so no text is evaluated.
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var text = data.text;
  var colours = { leads: "#0d6efd", won: "#198754", view: "#6f42c1", red: "#dc3545", green: "#198754" };
  var base = { responsive: true, maintainAspectRatio: false, animation: false };

  function constant(value) {
    return data.weeks.map(function () { return value; });
  }

  function bandLines(band, label) {
    if (!band) {
      return [];
    }
    return [
      { label: label + " — " + text.red_below + " " + band[0] + " %", data: constant(band[0]),
        borderColor: colours.red, borderDash: [6, 4], borderWidth: 1, pointRadius: 0 },
      { label: label + " — " + text.green_from + " " + band[1] + " %", data: constant(band[1]),
        borderColor: colours.green, borderDash: [6, 4], borderWidth: 1, pointRadius: 0 },
    ];
  }

  var charts = [];
  var funnel = document.getElementById("chart-funnel");
  if (funnel) {
    charts.push(new Chart(funnel, {
      type: "bar",
      data: {
        labels: data.funnel.labels,
        datasets: [{ label: data.title, data: data.funnel.values,
                     backgroundColor: [colours.view, colours.leads, "#fd7e14", colours.won] }],
      },
      options: Object.assign({}, base, {
        indexAxis: "y",
        plugins: { legend: { display: false } },
        // Views outnumber sales by orders of magnitude: a log axis keeps every step visible.
        scales: { x: { type: "logarithmic", title: { display: true, text: text.count } } },
      }),
    }));
  }

  var leads = document.getElementById("chart-leads");
  if (leads) {
    charts.push(new Chart(leads, {
      type: "bar",
      data: {
        labels: data.weeks,
        datasets: [
          { label: text.leads, data: data.leads, backgroundColor: colours.leads },
          { label: text.won, data: data.won, backgroundColor: colours.won },
        ],
      },
      options: Object.assign({}, base, {
        scales: { x: { title: { display: true, text: text.week_of } }, y: { beginAtZero: true } },
      }),
    }));
  }

  var conversion = document.getElementById("chart-conversion");
  if (conversion) {
    var datasets = [
      { label: text.lead_to_sale, data: data.lead_to_sale, borderColor: colours.won,
        backgroundColor: colours.won, spanGaps: true },
      { label: text.view_to_lead, data: data.view_to_lead, borderColor: colours.view,
        backgroundColor: colours.view, spanGaps: true },
    ].concat(bandLines(data.lead_to_sale_band, text.lead_to_sale),
             bandLines(data.view_to_lead_band, text.view_to_lead));
    charts.push(new Chart(conversion, {
      type: "line",
      data: { labels: data.weeks, datasets: datasets },
      options: Object.assign({}, base, {
        scales: { x: { title: { display: true, text: text.week_of } }, y: { beginAtZero: true } },
        plugins: { legend: { labels: { boxWidth: 12, font: { size: 10 } } } },
      }),
    }));
  }
  window.qaDashboardCharts = charts;
})();
