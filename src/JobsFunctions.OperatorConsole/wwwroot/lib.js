// Shared helpers: calls through the console's /api relay, DOM building without innerHTML, and the status palette.
export const STATUSES = ["QUEUED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "CANCELED", "REMOVED"];
export const TERMINAL = ["SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "CANCELED", "REMOVED"];
export const JOB_STATUSES = ["SCHEDULED", "IN_PROGRESS", "CANCELLATION_IN_PROGRESS", "COMPLETED", "CANCELED", "DELETION_IN_PROGRESS", "DELETED"];
// Each colour has at least 4.5:1 contrast on white; every chart and bar also says its numbers in text.
export const COLOURS = {
  QUEUED: "#6e7781", IN_PROGRESS: "#0969da", SUCCEEDED: "#1a7f37", FAILED: "#cf222e",
  TIMED_OUT: "#9a6700", REJECTED: "#8250df", CANCELED: "#24292f", REMOVED: "#bc4c00",
};

/** Calls the operator API through the console, which signs the call; the browser never holds a credential. */
export async function api(method, path, { query, body, headers } = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.append(name, String(value));
  }
  const search = params.toString();
  const sent = { "x-jobs-console": "1", ...(headers ?? {}) };
  if (body !== undefined) sent["content-type"] = "application/json";
  const response = await fetch(`/api${path}${search ? "?" + search : ""}`, {
    method, headers: sent, body: body === undefined ? undefined : (typeof body === "string" ? body : JSON.stringify(body)),
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return { status: response.status, ok: response.ok, etag: response.headers.get("etag"), body: json, text };
}

/** h("td", { class: "num" }, "3"): an element with attributes (on* take functions) and text or element children. */
export function h(tag, attributes, ...children) {
  const svg = ["svg", "g", "rect", "polyline", "line", "text", "title", "circle"].includes(tag);
  const element = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export const path = (...segments) => "/" + segments.map(encodeURIComponent).join("/");
export const time = (value) => value ? new Date(value).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "—";
export const percent = (rate) => rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)} %`;
export const countsText = (counts) => STATUSES.map((status) => `${status}=${counts?.[status] ?? 0}`).join(" ");

/** A progress bar of counts by status as SVG, with its numbers in its title for screen readers and tooltips. */
export function progressBar(counts, total) {
  const label = `Progress: ${STATUSES.filter((s) => counts[s]).map((s) => `${s} ${counts[s]}`).join(", ") || "no executions"}`;
  const svg = h("svg", { class: "bar", viewBox: "0 0 100 4", preserveAspectRatio: "none", role: "img", "aria-label": label });
  svg.append(h("title", {}, label));
  let x = 0;
  for (const status of STATUSES) {
    const width = total ? (100 * (counts[status] ?? 0)) / total : 0;
    if (width > 0) svg.append(h("rect", { x, y: 0, width, height: 4, fill: COLOURS[status] }));
    x += width;
  }
  if (!total) svg.append(h("rect", { x: 0, y: 0, width: 100, height: 4, fill: "#eaeef2" }));
  return svg;
}

export function legend(statuses) {
  // A drawn swatch, not an inline style: the console's Content-Security-Policy allows no inline styles.
  return h("ul", { class: "legend" }, statuses.map((status) =>
    h("li", {}, h("svg", { class: "swatch", viewBox: "0 0 10 10", "aria-hidden": "true" },
      h("rect", { x: 0, y: 0, width: 10, height: 10, fill: COLOURS[status], stroke: "#1f2328" })), status)));
}

/** Shows an answer of the API: AWS's answer on success, or the API's error with the field it names. */
export function showAnswer(container, label, answer) {
  container.replaceChildren();
  const ok = answer.status >= 200 && answer.status < 300;
  container.className = `answer ${ok ? "success" : "error"}`;
  const body = answer.body;
  container.append(h("p", { "data-testid": "answer-status" }, `${label}: HTTP ${answer.status}`,
    !ok && body?.code ? ` ${body.code}` : "", !ok && body?.field ? ` (field ${body.field})` : ""));
  if (!ok && body?.message) container.append(h("p", {}, body.message));
  if (answer.text) container.append(h("pre", {}, body ? JSON.stringify(body, null, 2) : answer.text));
  return ok;
}

/** Marks the input named by a 4xx's field (the API names it as AWS does, e.g. abortConfig.criteriaList[0].x). */
export function markField(form, field) {
  for (const input of form.querySelectorAll("[data-field]")) input.removeAttribute("aria-invalid");
  if (!field) return;
  const top = field.split(/[.[]/)[0];
  const input = form.querySelector(`[data-field="${CSS.escape(top)}"]`);
  if (input) { input.setAttribute("aria-invalid", "true"); input.focus(); }
}

export function parseJsonField(text, name) {
  if (!text.trim()) return undefined;
  try { return JSON.parse(text); } catch { throw new Error(`${name} is not JSON.`); }
}
