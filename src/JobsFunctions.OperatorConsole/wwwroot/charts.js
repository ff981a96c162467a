import { api, h, COLOURS, TERMINAL, legend, time } from "./lib.js";

/** Pages read per terminal status for the chart: 8 × 250 = the first 2,000 executions of each, by thing name. */
const PAGES_PER_STATUS = 8;

/**
 * Terminal outcomes over time: each terminal execution counted at its lastChangedAt, cumulative per status, as SVG.
 * Reads the job's executions of each terminal status (GET /jobs/{jobId}/executions?status=…).
 */
export async function outcomesChart(jobId) {
  const series = {};
  let capped = false;
  for (const status of TERMINAL) {
    const times = [];
    let token;
    for (let page = 0; page < PAGES_PER_STATUS; page++) {
      const answer = await api("GET", `/jobs/${encodeURIComponent(jobId)}/executions`, { query: { status, limit: 250, nextToken: token } });
      if (!answer.ok) break;
      times.push(...answer.body.executions.map((execution) => Date.parse(execution.lastChangedAt)));
      token = answer.body.nextToken;
      if (!token) break;
      if (page === PAGES_PER_STATUS - 1) capped = true;
    }
    if (times.length) series[status] = times.sort((a, b) => a - b);
  }
  const statuses = Object.keys(series);
  if (!statuses.length) return h("p", { class: "muted" }, "No execution has ended yet.");

  const all = statuses.flatMap((status) => series[status]);
  const start = Math.min(...all), end = Math.max(...all, start + 60_000);
  const top = Math.max(...statuses.map((status) => series[status].length));
  const width = 640, height = 220, left = 48, bottom = 28;
  const x = (t) => left + ((t - start) / (end - start)) * (width - left - 8);
  const y = (n) => height - bottom - (n / top) * (height - bottom - 10);
  const summary = statuses.map((status) => `${status} ${series[status].length}`).join(", ");
  const svg = h("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `Terminal outcomes from ${time(start)} to ${time(end)}: ${summary}`, width: "100%", "data-testid": "outcomes-chart" },
    h("title", {}, `Terminal outcomes over time: ${summary}`),
    h("line", { x1: left, y1: height - bottom, x2: width - 8, y2: height - bottom, stroke: "#57606a" }),
    h("line", { x1: left, y1: 10, x2: left, y2: height - bottom, stroke: "#57606a" }),
    h("text", { x: left - 6, y: y(top) + 4, "text-anchor": "end", "font-size": 11, fill: "#1f2328" }, String(top)),
    h("text", { x: left - 6, y: height - bottom + 4, "text-anchor": "end", "font-size": 11, fill: "#1f2328" }, "0"),
    h("text", { x: left, y: height - 8, "font-size": 11, fill: "#1f2328" }, time(start)),
    h("text", { x: width - 8, y: height - 8, "text-anchor": "end", "font-size": 11, fill: "#1f2328" }, time(end)));
  for (const status of statuses) {
    const points = [`${x(start)},${y(0)}`];
    series[status].forEach((t, i) => { points.push(`${x(t)},${y(i)}`, `${x(t)},${y(i + 1)}`); });
    points.push(`${x(end)},${y(series[status].length)}`);
    svg.append(h("polyline", { points: points.join(" "), fill: "none", stroke: COLOURS[status], "stroke-width": 2 }));
  }
  return h("figure", {}, svg, legend(statuses),
    h("figcaption", { class: "muted" }, `Cumulative terminal executions by the time of their last change: ${summary}.`,
      capped ? ` Only the first ${PAGES_PER_STATUS * 250} executions of a status (by thing name) are read: a sample.` : ""));
}
