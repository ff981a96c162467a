import { h, path, parseJsonField } from "./lib.js";
import { reasonInput, auditedWrite } from "./writes.js";

/** UpdateJob with AWS's own members (https://docs.aws.amazon.com/iot/latest/apireference/API_UpdateJob.html). */
export function updateJobSection(jobId, refreshAudit) {
  const output = h("div", { id: "update-job-answer", role: "status", "aria-live": "polite" });
  const field = (name, label, json) => [
    h("label", { for: `uj-${name}` }, label),
    json ? h("textarea", { id: `uj-${name}`, "data-field": name, rows: 3, spellcheck: "false", placeholder: "{ } as in AWS's API" })
      : h("input", { type: "text", id: `uj-${name}`, "data-field": name, autocomplete: "off" }),
  ];
  const form = h("form", { id: "update-job-form", onsubmit: (event) => { event.preventDefault(); submit(); } },
    field("description", "description"),
    field("namespaceId", "namespaceId (query)"),
    field("abortConfig", "abortConfig (JSON)", true),
    field("timeoutConfig", "timeoutConfig (JSON)", true),
    field("jobExecutionsRolloutConfig", "jobExecutionsRolloutConfig (JSON)", true),
    field("presignedUrlConfig", "presignedUrlConfig (JSON)", true),
    field("jobExecutionsRetryConfig", "jobExecutionsRetryConfig (JSON)", true),
    reasonInput("uj-reason"),
    h("button", { type: "submit", class: "primary" }, "Update job"));

  async function submit() {
    const value = (name) => form.querySelector(`#uj-${name}`).value;
    let body;
    try {
      body = {
        description: value("description") || undefined,
        abortConfig: parseJsonField(value("abortConfig"), "abortConfig"),
        timeoutConfig: parseJsonField(value("timeoutConfig"), "timeoutConfig"),
        jobExecutionsRolloutConfig: parseJsonField(value("jobExecutionsRolloutConfig"), "jobExecutionsRolloutConfig"),
        presignedUrlConfig: parseJsonField(value("presignedUrlConfig"), "presignedUrlConfig"),
        jobExecutionsRetryConfig: parseJsonField(value("jobExecutionsRetryConfig"), "jobExecutionsRetryConfig"),
      };
    } catch (error) {
      output.replaceChildren(h("p", { class: "flag" }, error.message));
      return;
    }
    await auditedWrite({
      form, output, jobId, operation: "UpdateJob", label: "UpdateJob", method: "PATCH", route: path("jobs", jobId),
      query: { namespaceId: value("namespaceId") }, body,
    });
    refreshAudit();
  }

  return h("section", { "aria-labelledby": "update-job-title" },
    h("h2", { id: "update-job-title" }, "Update the job"),
    h("p", { class: "muted" }, "AWS IoT UpdateJob, validated by the API before any AWS call. Empty fields are not sent."),
    form, output);
}
