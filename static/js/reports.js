// Draws the report's charts with Chart.js (served from static/js/charts, no CDN).
// The figures are also in the tables on the page: the charts are an enhancement.
(function () {
  const data = document.getElementById("report-charts");
  if (!data || typeof Chart === "undefined") return;
  const charts = JSON.parse(data.textContent);
  const colours = ["#1f5f8b", "#d9822b", "#3b8c4a", "#b33a3a", "#7a5ea8", "#8c6d31", "#2b8c8c", "#555555"];
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  document.querySelectorAll("canvas[data-chart-index]").forEach((canvas) => {
    const chart = charts[Number(canvas.dataset.chartIndex)];
    if (!chart) return;
    const horizontal = chart.type === "hbar";
    const stacked = chart.type === "stacked";
    const datasets = chart.series.map((series, index) => ({
      label: series.label,
      data: series.values,
      type: series.kind === "line" ? "line" : "bar",
      yAxisID: series.axis === "right" ? "right" : (horizontal ? undefined : "y"),
      backgroundColor: colours[index % colours.length],
      borderColor: colours[index % colours.length],
      borderWidth: series.kind === "line" ? 2.5 : 0,
      order: series.kind === "line" ? 0 : 1,
    }));
    const scales = horizontal
      ? { x: { beginAtZero: true } }
      : { x: { stacked: stacked || chart.type === "bar_line" }, y: { beginAtZero: true, stacked: stacked || chart.type === "bar_line" } };
    if (chart.series.some((s) => s.axis === "right")) {
      scales.right = { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } };
    }
    new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        scales: scales,
        plugins: { legend: { display: chart.series.length > 1, position: "bottom" } },
      },
    });
  });
})();
