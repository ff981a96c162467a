import { api, h, path, time, percent, countsText, progressBar, legend, STATUSES, JOB_STATUSES } from "./lib.js";

/** The jobs page: every job the store knows (GET /jobs), newest first, refreshed by polling. */
export function jobsView(main, poll) {
  const state = { status: "", tokens: [null], page: 0 };
  const filter = h("select", { id: "job-status-filter", onchange: () => { state.status = filter.value; state.tokens = [null]; state.page = 0; refresh(); } },
    h("option", { value: "" }, "every status"), JOB_STATUSES.map((status) => h("option", { value: status }, status)));
  const body = h("tbody");
  const note = h("p", { class: "muted" });
  const previous = h("button", { type: "button", onclick: () => { state.page--; refresh(); } }, "Previous page");
  const next = h("button", { type: "button", onclick: () => { state.page++; refresh(); } }, "Next page");
  main.replaceChildren(
    h("h1", {}, "Jobs"),
    h("label", { for: "job-status-filter" }, "Status"), filter,
    legend(STATUSES),
    h("table", { id: "jobs" },
      h("caption", { class: "muted" }, "Every job the store knows, newest first. Counts are the recorder's; the page updates itself."),
      h("thead", {}, h("tr", {}, ["Job", "Status", "Progress", "Counts", "Executions", "Failure rate", "Policy", "Last change"].map((title) =>
        h("th", { scope: "col", class: ["Executions", "Failure rate"].includes(title) ? "num" : undefined }, title)))),
      body),
    note,
    h("div", { class: "pager" }, previous, next));

  async function refresh() {
    const answer = await api("GET", "/jobs", { query: { status: state.status, limit: 50, nextToken: state.tokens[state.page] } });
    if (!answer.ok) {
      note.textContent = `GET /jobs answered HTTP ${answer.status}: ${answer.body?.message ?? answer.text}`;
      return;
    }
    state.tokens[state.page + 1] = answer.body.nextToken ?? undefined;
    previous.disabled = state.page === 0;
    next.disabled = !answer.body.nextToken;
    body.replaceChildren(...answer.body.jobs.map(row));
    note.textContent = answer.body.jobs.length === 0
      ? (answer.body.nextToken ? "No job in this status on this page; the next page may have some." : "No job recorded yet.")
      : "";
  }

  function row(job) {
    const policy = job.policy === "NONE" ? "none" : `${job.policy === "OWN" ? `own (revision ${job.policyRevision})` : "DefaultPolicy"}, ${job.dryRun ? "dry run" : "acting"}`;
    return h("tr", { "data-job-id": job.jobId },
      h("th", { scope: "row" }, h("a", { href: `#${path("jobs", job.jobId)}` }, job.jobId)),
      h("td", {}, job.status, job.statusRecorded ? "" : h("span", { class: "muted", title: "IoT publishes no event when a job starts; inferred from its executions" }, " (inferred)")),
      h("td", {}, progressBar(job.counts, job.totalExecutions)),
      h("td", { "data-testid": "counts" }, countsText(job.counts)),
      h("td", { class: "num" }, job.totalExecutions),
      h("td", { class: "num" }, percent(job.failureRate)),
      h("td", {}, policy),
      h("td", {}, time(job.lastChangedAt)));
  }

  poll(refresh, 2000);
}
