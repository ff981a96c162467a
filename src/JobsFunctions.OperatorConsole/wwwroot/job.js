import { api, h, path, time, percent, progressBar, legend, STATUSES } from "./lib.js";
import { outcomesChart } from "./charts.js";
import { policySection } from "./policy.js";
import { updateJobSection } from "./update-job.js";
import { executionsSection } from "./executions.js";

/** IoT's jobProcessDetails member of each status (GET /jobs/{jobId}/iot answers with DescribeJob's names). */
const IOT_MEMBERS = {
  QUEUED: "numberOfQueuedThings", IN_PROGRESS: "numberOfInProgressThings", SUCCEEDED: "numberOfSucceededThings",
  FAILED: "numberOfFailedThings", TIMED_OUT: "numberOfTimedOutThings", REJECTED: "numberOfRejectedThings",
  CANCELED: "numberOfCanceledThings", REMOVED: "numberOfRemovedThings",
};

/** One job: counts beside IoT's, outcomes over time, the policy and its preview, actions, executions, audit trail. */
export function jobView(main, poll, jobId, thingName) {
  const summary = h("div", { id: "job-summary" });
  const counts = h("div", { id: "counts" });
  const chart = h("div", { id: "chart" }, h("p", { class: "muted" }, "Reading outcomes…"));
  const audit = h("tbody");
  const refreshAudit = async () => {
    const answer = await api("GET", `/jobs/${encodeURIComponent(jobId)}/audit`, { query: { limit: 25 } });
    if (answer.ok) audit.replaceChildren(...answer.body.entries.map(auditRow));
  };
  const executions = executionsSection(jobId, refreshAudit);

  main.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← Jobs")),
    h("h1", {}, "Job ", h("span", { id: "job-id" }, jobId)),
    summary,
    h("div", { class: "grid" },
      h("section", { "aria-labelledby": "counts-title" }, h("h2", { id: "counts-title" }, "Counts: the store and IoT"), counts),
      h("section", { "aria-labelledby": "chart-title" }, h("h2", { id: "chart-title" }, "Terminal outcomes over time"), chart)),
    h("div", { class: "grid" },
      policySection(jobId, refreshAudit),
      updateJobSection(jobId, refreshAudit)),
    executions.element,
    h("section", { "aria-labelledby": "audit-title" },
      h("h2", { id: "audit-title" }, "Audit trail (newest first)"),
      h("table", { id: "audit" },
        h("thead", {}, h("tr", {}, ["When", "Who", "What", "Why", "Outcome", "Before → after"].map((title) => h("th", { scope: "col" }, title)))),
        audit)));

  async function refreshJob() {
    // The store's counts and IoT's own (DescribeJob) are asked together, so the two columns describe one moment.
    const [answer, iot] = await Promise.all([api("GET", path("jobs", jobId)), api("GET", path("jobs", jobId, "iot"))]);
    if (!answer.ok) {
      summary.replaceChildren(h("p", { class: "flag" }, `GET /jobs/${jobId} answered HTTP ${answer.status}: ${answer.body?.message ?? ""}`));
      return;
    }
    const job = answer.body;
    summary.replaceChildren(h("p", {},
      `Status ${job.status ?? "IN_PROGRESS (no job event recorded yet)"} · ${job.totalExecutions} executions · last job event ${time(job.lastChangedAt)}`,
      job.description ? ` · ${job.description}` : ""));
    counts.replaceChildren(progressBar(job.counts, job.totalExecutions), legend(STATUSES), countsTable(job, iot));
  }

  if (thingName) executions.open(thingName);
  poll(refreshJob, 2000);
  poll(refreshAudit, 3000);
  poll(executions.refresh, 3000);
  poll(async () => chart.replaceChildren(await outcomesChart(jobId)), 10000);
}

/** The store's counts beside IoT's jobProcessDetails; a status whose two counts differ is flagged. */
function countsTable(job, answer) {
  const iot = answer.ok ? answer.body.jobProcessDetails : null;
  const rows = STATUSES.map((status) => {
    const store = job.counts[status] ?? 0;
    const reported = iot ? iot[IOT_MEMBERS[status]] ?? 0 : null;
    const differs = reported !== null && reported !== store;
    return h("tr", { class: differs ? "differs" : undefined, "data-status": status },
      h("th", { scope: "row" }, status),
      h("td", { class: "num", "data-testid": `store-${status}` }, store),
      h("td", { class: "num", "data-testid": `iot-${status}` }, reported ?? "—"),
      h("td", {}, differs ? h("span", { class: "flag" }, "differs") : reported === null ? "" : "equal"));
  });
  const executed = (job.counts.SUCCEEDED ?? 0) + (job.counts.FAILED ?? 0) + (job.counts.TIMED_OUT ?? 0) + (job.counts.REJECTED ?? 0);
  const failed = executed - (job.counts.SUCCEEDED ?? 0);
  return h("div", {},
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Status"), h("th", { scope: "col", class: "num" }, "Store (live)"),
        h("th", { scope: "col", class: "num" }, "IoT jobProcessDetails"), h("th", { scope: "col" }, "Compared"))),
      h("tbody", {}, rows)),
    h("p", { class: "muted" }, `Failure rate ${percent(executed ? failed / executed : null)}.`),
    iot
      ? h("p", { class: "muted", id: "iot-note" }, `IoT's figures are its DescribeJob answer (job ${answer.body.status}, changed ${time(answer.body.lastUpdatedAt)}). `,
        "A difference means job-execution events are missing or still on their way to the store.")
      : h("p", { class: "flag", id: "iot-note" },
        `IoT could not be asked (GET /jobs/${job.jobId}/iot answered HTTP ${answer.status}${answer.body?.code ? ` ${answer.body.code}` : ""}): `,
        answer.body?.message ?? "no answer.", " Only the store's counts are shown."));
}

function auditRow(entry) {
  const state = (s) => s ? `${s.status}${s.versionNumber ? ` v${s.versionNumber}` : ""}` : "—";
  return h("tr", {},
    h("td", {}, time(entry.at)),
    h("td", {}, entry.caller?.userArn ?? entry.caller?.callerId ?? "—"),
    h("td", {}, entry.operation, entry.thingName ? ` ${entry.thingName}` : "", entry.replayed ? " (replayed)" : ""),
    h("td", {}, entry.reason ?? "—"),
    h("td", {}, entry.outcome, entry.field ? ` (field ${entry.field})` : ""),
    h("td", {}, `${state(entry.before)} → ${state(entry.after)}`));
}
