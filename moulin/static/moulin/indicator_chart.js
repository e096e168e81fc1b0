// Indicators of a project: a small bar chart per indicator, targets against actuals per year.
// Data comes from a json_script tag (the Content Security Policy forbids inline scripts).
(function () {
  const dataEl = document.getElementById("indicator-data");
  if (!dataEl || !window.Chart) return;
  const data = JSON.parse(dataEl.textContent);
  const labels = JSON.parse(document.getElementById("indicator-labels").textContent);
  data.indicators.forEach((indicator) => {
    const canvas = document.querySelector(`canvas.indicator-chart[data-indicator="${indicator.id}"]`);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: indicator.years.map(String),
        datasets: [
          { label: labels.target, data: indicator.target, backgroundColor: "rgba(108, 117, 125, 0.45)" },
          { label: labels.actual, data: indicator.actual, backgroundColor: "rgba(31, 95, 91, 0.85)" },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        plugins: { legend: { position: "bottom" }, title: { display: false } },
        scales: { y: { beginAtZero: true, title: { display: true, text: indicator.unit } } },
      },
    });
    canvas.dataset.ready = "1";
  });
})();
