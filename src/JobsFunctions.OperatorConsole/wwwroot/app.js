// The console's page: a hash router over two views, kept live by polling the operator API through the console.
import { jobsView } from "./jobs.js";
import { jobView } from "./job.js";

const main = document.getElementById("main");
const live = document.getElementById("live");
let timers = [];

/** Runs refresh now and then every intervalMs while the view is shown; a failed refresh is reported, not fatal. */
function poll(refresh, intervalMs) {
  let running = false;
  const tick = async () => {
    if (running || document.hidden) return;
    running = true;
    try {
      await refresh();
      live.textContent = `Updated ${new Date().toLocaleTimeString()} (polling every ${intervalMs / 1000} s)`;
    } catch (error) {
      live.textContent = `Update failed: ${error.message}`;
    } finally {
      running = false;
    }
  };
  tick();
  timers.push(setInterval(tick, intervalMs));
}

function route() {
  timers.forEach(clearInterval);
  timers = [];
  const match = location.hash.match(/^#\/jobs\/([^/]+)(?:\/things\/([^/]+))?$/);
  if (match) jobView(main, poll, decodeURIComponent(match[1]), match[2] && decodeURIComponent(match[2]));
  else jobsView(main, poll);
  main.focus({ preventScroll: true });
}

async function identify() {
  const response = await fetch("/console/info");
  const info = await response.json();
  document.getElementById("who").textContent = info.signed
    ? `API ${info.api} · signed (SigV4, execute-api, ${info.region}) as ${info.caller}`
    : `API ${info.api} · unsigned local API · ${info.caller}`;
}

window.addEventListener("hashchange", route);
identify();
route();
