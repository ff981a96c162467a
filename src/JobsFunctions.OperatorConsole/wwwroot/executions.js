import { api, h, path, time, STATUSES, parseJsonField } from "./lib.js";
import { reasonInput, auditedWrite } from "./writes.js";

/** The job's executions, filterable by status and paged; each opens its ledger as a timeline with its actions. */
export function executionsSection(jobId, refreshAudit) {
  const state = { status: "", tokens: [null], page: 0, open: null };
  const filter = h("select", { id: "execution-status-filter", onchange: () => { state.status = filter.value; state.tokens = [null]; state.page = 0; refresh(); } },
    h("option", { value: "" }, "every status"), STATUSES.map((status) => h("option", { value: status }, status)));
  const body = h("tbody");
  const previous = h("button", { type: "button", onclick: () => { state.page--; refresh(); } }, "Previous page");
  const next = h("button", { type: "button", onclick: () => { state.page++; refresh(); } }, "Next page");
  const detail = h("div", { id: "execution-detail" });

  async function refresh() {
    const answer = await api("GET", path("jobs", jobId, "executions"), { query: { status: state.status, limit: 25, nextToken: state.tokens[state.page] } });
    if (!answer.ok) return;
    state.tokens[state.page + 1] = answer.body.nextToken ?? undefined;
    previous.disabled = state.page === 0;
    next.disabled = !answer.body.nextToken;
    body.replaceChildren(...answer.body.executions.map((execution) => h("tr", { "data-thing": execution.thingName },
      h("th", { scope: "row" }, execution.thingName),
      h("td", {}, execution.status),
      h("td", { class: "num" }, execution.versionNumber ?? "—"),
      h("td", { class: "num" }, execution.executionNumber ?? "—"),
      h("td", {}, time(execution.lastChangedAt)),
      h("td", {}, h("button", { type: "button", "aria-label": `Open ${execution.thingName}`, onclick: () => { history.replaceState(null, "", `#${path("jobs", jobId, "things", execution.thingName)}`); open(execution.thingName); } }, "Open")))));
    if (state.open) await showLedger(state.open, false);
  }

  async function open(thingName) {
    state.open = thingName;
    detail.replaceChildren(
      h("h3", { id: "execution-title", tabindex: "-1" }, `Execution of ${thingName}`),
      h("ol", { class: "timeline", id: "ledger", "aria-label": `Ledger of ${thingName}` }),
      h("div", { class: "grid" }, cancelForm(thingName), updateForm(thingName)));
    await showLedger(thingName, true);
    detail.querySelector("#execution-title").focus();
  }

  async function showLedger(thingName, fresh) {
    const list = detail.querySelector("#ledger");
    if (!list) return;
    const answer = await api("GET", path("things", thingName, "jobs", jobId, "ledger"));
    if (!answer.ok) { if (fresh) list.replaceChildren(h("li", {}, `No ledger: HTTP ${answer.status}`)); return; }
    const { execution, ledger } = answer.body;
    list.replaceChildren(
      h("li", {}, h("strong", {}, `Now ${execution.status}`), execution.versionNumber ? ` (version ${execution.versionNumber})` : ""),
      ...[...ledger].reverse().map((entry) => h("li", { "data-source": entry.source },
        h("strong", {}, entry.status), ` ${time(entry.occurredAt)} · ${entry.source}`,
        entry.versionNumber ? ` · v${entry.versionNumber}` : "", entry.executionNumber ? ` · attempt ${entry.executionNumber}` : "",
        Object.keys(entry.statusDetails ?? {}).length ? ` · ${JSON.stringify(entry.statusDetails)}` : "",
        h("span", { class: "muted" }, ` (recorded ${time(entry.recordedAt)})`))));
  }

  function cancelForm(thingName) {
    const output = h("div", { id: "cancel-answer", role: "status", "aria-live": "polite" });
    const form = h("form", { id: "cancel-form", onsubmit: async (event) => {
      event.preventDefault();
      let body;
      try {
        body = {
          expectedVersion: form.querySelector("#cancel-expected").value ? Number(form.querySelector("#cancel-expected").value) : undefined,
          statusDetails: parseJsonField(form.querySelector("#cancel-details").value, "statusDetails"),
        };
      } catch (error) { output.replaceChildren(h("p", { class: "flag" }, error.message)); return; }
      await auditedWrite({
        form, output, jobId, operation: "CancelJobExecution", label: "CancelJobExecution", method: "PUT", route: path("things", thingName, "jobs", jobId, "cancel"),
        query: { force: form.querySelector("#cancel-force").checked ? "true" : undefined }, body,
      });
      await showLedger(thingName, false);
      refreshAudit();
    } },
    h("fieldset", {}, h("legend", {}, "Cancel this execution (CancelJobExecution)"),
      h("label", { class: "inline" }, h("input", { type: "checkbox", id: "cancel-force", "data-field": "force" }), "force (needed for IN_PROGRESS)"),
      h("label", { for: "cancel-expected" }, "expectedVersion"), h("input", { type: "number", id: "cancel-expected", "data-field": "expectedVersion", min: 1 }),
      h("label", { for: "cancel-details" }, "statusDetails (JSON object)"), h("textarea", { id: "cancel-details", "data-field": "statusDetails", rows: 2 }),
      reasonInput("cancel-reason"),
      h("button", { type: "submit", class: "primary", id: "cancel-submit" }, "Cancel execution")));
    return h("div", {}, form, output);
  }

  function updateForm(thingName) {
    const output = h("div", { id: "update-execution-answer", role: "status", "aria-live": "polite" });
    const number = (id) => form.querySelector(id).value ? Number(form.querySelector(id).value) : undefined;
    const form = h("form", { id: "update-execution-form", onsubmit: async (event) => {
      event.preventDefault();
      let body;
      try {
        body = {
          status: form.querySelector("#ue-status").value,
          statusDetails: parseJsonField(form.querySelector("#ue-details").value, "statusDetails"),
          stepTimeoutInMinutes: number("#ue-step"), expectedVersion: number("#ue-expected"), executionNumber: number("#ue-execution"),
          includeJobExecutionState: form.querySelector("#ue-state").checked || undefined,
          includeJobDocument: form.querySelector("#ue-document").checked || undefined,
        };
      } catch (error) { output.replaceChildren(h("p", { class: "flag" }, error.message)); return; }
      await auditedWrite({
        form, output, jobId, operation: "UpdateJobExecution", label: "UpdateJobExecution", method: "POST", route: path("things", thingName, "jobs", jobId), body,
      });
      await showLedger(thingName, false);
      refreshAudit();
    } },
    h("fieldset", {}, h("legend", {}, "Update this execution (UpdateJobExecution, as the device)"),
      h("label", { for: "ue-status" }, "status"),
      h("select", { id: "ue-status", "data-field": "status" }, ["IN_PROGRESS", "SUCCEEDED", "FAILED", "REJECTED", "REMOVED", "TIMED_OUT", "CANCELED", "QUEUED"].map((s) => h("option", { value: s }, s))),
      h("label", { for: "ue-details" }, "statusDetails (JSON object)"), h("textarea", { id: "ue-details", "data-field": "statusDetails", rows: 2 }),
      h("label", { for: "ue-step" }, "stepTimeoutInMinutes"), h("input", { type: "number", id: "ue-step", "data-field": "stepTimeoutInMinutes" }),
      h("label", { for: "ue-expected" }, "expectedVersion"), h("input", { type: "number", id: "ue-expected", "data-field": "expectedVersion" }),
      h("label", { for: "ue-execution" }, "executionNumber"), h("input", { type: "number", id: "ue-execution", "data-field": "executionNumber" }),
      h("label", { class: "inline" }, h("input", { type: "checkbox", id: "ue-state" }), "includeJobExecutionState"),
      h("label", { class: "inline" }, h("input", { type: "checkbox", id: "ue-document" }), "includeJobDocument"),
      reasonInput("ue-reason"),
      h("button", { type: "submit", class: "primary" }, "Update execution")));
    return h("div", {}, form, output);
  }

  const element = h("section", { "aria-labelledby": "executions-title" },
    h("h2", { id: "executions-title" }, "Executions"),
    h("label", { for: "execution-status-filter" }, "Status"), filter,
    h("table", { id: "executions" },
      h("thead", {}, h("tr", {}, ["Thing", "Status", "Version", "Attempt", "Last change", ""].map((title) => h("th", { scope: "col" }, title)))),
      body),
    h("div", { class: "pager" }, previous, next),
    detail);
  return { element, refresh, open };
}
