import { api, h, showAnswer, markField, time } from "./lib.js";

/** A reason input every write asks for; it is sent as x-jobs-reason and kept in the audit trail. */
export function reasonInput(id) {
  return [
    h("label", { for: id }, "Reason (required, kept in the audit trail)"),
    h("input", { type: "text", id, name: "reason", "aria-required": "true", maxlength: 2028, autocomplete: "off" }),
  ];
}

/**
 * Makes one audited write: refuses to send without a reason, shows AWS's answer or the API's 4xx with its field,
 * then the audit entry the write left (found by operation and reason, newest first).
 */
export async function auditedWrite({ form, output, jobId, operation, label, method, route, query, body, headers }) {
  const reasonField = form.querySelector("[name=reason]");
  const reason = reasonField.value.trim();
  if (!reason) {
    output.replaceChildren(h("p", { class: "flag" }, "Give a reason: every write is audited with one."));
    reasonField.setAttribute("aria-invalid", "true");
    reasonField.focus();
    return null;
  }
  reasonField.removeAttribute("aria-invalid");
  const answer = await api(method, route, { query, body, headers: { "x-jobs-reason": reason, ...(headers ?? {}) } });
  const box = h("div");
  output.replaceChildren(box);
  showAnswer(box, label, answer);
  markField(form, answer.ok ? null : answer.body?.field);
  const trail = await api("GET", `/jobs/${encodeURIComponent(jobId)}/audit`, { query: { limit: 25 } });
  const entry = trail.body?.entries?.find((candidate) => candidate.operation === operation && candidate.reason === reason);
  output.append(entry
    ? h("div", { "data-testid": "audit-produced" }, h("p", {}, `Audit entry: ${time(entry.at)} ${entry.operation} → ${entry.outcome}`),
      h("pre", {}, JSON.stringify(entry, null, 2)))
    : h("p", { class: "muted" }, "No audit entry with this reason yet."));
  return answer;
}
