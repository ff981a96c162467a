import { api, h, path, time, showAnswer } from "./lib.js";
import { reasonInput, auditedWrite } from "./writes.js";

/**
 * The job's policy, editable with its ETag: a save sends If-Match with the revision the page loaded, so an edit made
 * from a stale read answers 412 and the page shows the newer revision instead of overwriting it. The page does not
 * reload the policy by itself (it would replace an edit in progress): "Reload" does.
 */
export function policySection(jobId, refreshAudit) {
  const state = { etag: null };
  const origin = h("p", { id: "policy-origin" });
  const document = h("textarea", { id: "policy-document", "data-field": "body", rows: 12, spellcheck: "false" });
  const output = h("div", { id: "policy-answer", role: "status", "aria-live": "polite" });
  const preview = h("div", { id: "preview" });
  const form = h("form", { id: "policy-form", onsubmit: (event) => { event.preventDefault(); save(); } },
    h("label", { for: "policy-document" }, "Policy document (JSON, see docs/policies.md)"), document,
    reasonInput("policy-reason"),
    h("button", { type: "button", id: "policy-preview", onclick: () => previewNow() }, "Preview what it would do now"),
    h("button", { type: "submit", id: "policy-save", class: "primary" }, "Save"),
    h("button", { type: "button", id: "policy-delete", onclick: () => remove() }, "Delete"),
    h("button", { type: "button", id: "policy-reload", onclick: () => load() }, "Reload"));

  async function load() {
    const answer = await api("GET", path("jobs", jobId, "policy"));
    if (answer.ok) {
      state.etag = answer.etag;
      origin.textContent = `Own policy, revision ${answer.body.revision} (ETag ${answer.etag}), ${answer.body.policy.dryRun ? "dry run" : "acting"}, by ${answer.body.updatedBy} at ${time(answer.body.updatedAt)}.`;
      document.value = JSON.stringify(answer.body.policy, null, 2);
    } else if (answer.status === 404) {
      state.etag = null;
      const listing = await api("GET", "/policies", { query: { limit: 1 } });
      const fallback = listing.body?.defaultPolicy;
      origin.textContent = fallback
        ? `No policy of its own: the DefaultPolicy applies while the job is IN_PROGRESS (${fallback.dryRun ? "dry run" : "acting"}). Saving creates the job's own.`
        : "No policy applies to this job. Saving creates one.";
      document.value = JSON.stringify(fallback ?? { dryRun: true, timeoutConfig: { queuedTimeoutInMinutes: 1440, action: "CANCEL" } }, null, 2);
    } else {
      origin.textContent = `GET policy answered HTTP ${answer.status}.`;
    }
  }

  async function save() {
    const answer = await auditedWrite({
      form, output, jobId, operation: "PutJobPolicy", label: "PUT policy", method: "PUT", route: path("jobs", jobId, "policy"),
      body: document.value, headers: state.etag ? { "if-match": state.etag } : {},
    });
    if (!answer) return;
    if (answer.status === 412) {
      const newer = await api("GET", path("jobs", jobId, "policy"));
      output.prepend(h("div", { id: "policy-stale", class: "answer error" },
        h("p", {}, `412: the policy changed after this page read it (you edited ETag ${state.etag}). The newer revision is ${newer.body?.revision ?? "gone"}`,
          newer.body ? ` (ETag ${newer.etag}) by ${newer.body.updatedBy}:` : "."),
        newer.body ? h("pre", {}, JSON.stringify(newer.body.policy, null, 2)) : null,
        h("p", {}, "Your edit is still in the box; Reload takes the newer revision.")));
    } else if (answer.ok) {
      await load();
    }
    refreshAudit();
  }

  async function remove() {
    const answer = await auditedWrite({
      form, output, jobId, operation: "DeleteJobPolicy", label: "DELETE policy", method: "DELETE", route: path("jobs", jobId, "policy"),
      headers: state.etag ? { "if-match": state.etag } : {},
    });
    if (answer?.ok) await load();
    refreshAudit();
  }

  async function previewNow() {
    const answer = await api("POST", path("jobs", jobId, "policy", "preview"), { body: document.value, query: { limit: 100 } });
    preview.replaceChildren();
    if (!answer.ok) { showAnswer(preview, "Preview", answer); return; }
    const plan = answer.body;
    const totals = Object.entries(plan.totals ?? {}).map(([call, n]) => `${call} × ${n}`).join(", ") || "nothing";
    preview.append(
      h("p", { "data-testid": "preview-totals" }, `Would call now: ${totals}.`),
      plan.actions.length
        ? h("table", { id: "preview-actions" },
          h("thead", {}, h("tr", {}, ["Action", "Thing", "Force", "Status", "Why"].map((title) => h("th", { scope: "col" }, title)))),
          h("tbody", {}, plan.actions.map((action) => h("tr", {},
            h("td", {}, action.action), h("td", {}, action.thingName ?? "(the job)"), h("td", {}, action.force ? "yes" : "no"),
            h("td", {}, action.status ?? "—"), h("td", {}, action.reason)))))
        : h("p", { class: "muted" }, "No action: the policy would leave the job alone now."),
      plan.nextToken ? h("p", { class: "muted" }, "More actions follow (the first 100 are shown).") : "");
  }

  load();
  return h("section", { "aria-labelledby": "policy-title" },
    h("h2", { id: "policy-title" }, "Policy"), origin, form, output,
    h("h3", {}, "Preview"), preview);
}
