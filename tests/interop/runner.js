// corsim interop runner: fetches every case served by server.py and posts
// back what fetch() exposed to script.  Loaded by index.html from the page
// origin http://127.0.0.1:18610.
'use strict';

const BATCH = 12;          // fetches in flight at once
const TIMEOUT_MS = 5000;   // per fetch, body included

function progress(text) {
  const el = document.getElementById('progress');
  if (el) el.textContent = text;
  document.title = text;
}

async function post(path, data) {
  const r = await fetch(path, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify(data),
  });
  if (!r.ok) throw new Error('POST ' + path + ': ' + r.status);
}

function log(msg) {
  return post('/log', String(msg)).catch(() => {});
}

// Durations are not recorded (they would make recordings differ from run to
// run); slow cases are reported in the server log instead.
function noteSlow(c, started) {
  const ms = Math.round(performance.now() - started);
  if (ms > 1000) log('slow case ' + c.id + ': ' + ms + ' ms');
}

async function runCase(c) {
  const rec = {
    id: c.id, ok: null, type: null, status: null, statusText: null,
    redirected: null, url: null, headers: null, setCookie: null,
    error: null, timeout: false, bodyLength: null, bodyError: null,
  };
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; ctl.abort(); }, TIMEOUT_MS);
  const started = performance.now();
  let r;
  try {
    r = await fetch(c.url, {
      mode: c.mode,
      credentials: c.credentials,
      method: c.method,
      headers: c.headers,
      redirect: c.redirect,
      signal: ctl.signal,
    });
  } catch (e) {
    rec.error = String(e);
    rec.timeout = timedOut;
    clearTimeout(timer);
    noteSlow(c, started);
    return rec;
  }
  rec.ok = r.ok;
  rec.type = r.type;
  rec.status = r.status;
  rec.statusText = r.statusText;
  rec.redirected = r.redirected;
  rec.url = r.url;
  rec.headers = Array.from(r.headers);
  rec.setCookie = typeof r.headers.getSetCookie === 'function'
    ? r.headers.getSetCookie() : null;
  try {
    const body = await r.arrayBuffer();
    rec.bodyLength = body.byteLength;
  } catch (e) {
    rec.bodyError = String(e) + (timedOut ? ' (timeout)' : '');
  }
  clearTimeout(timer);
  noteSlow(c, started);
  return rec;
}

async function main() {
  const cases = await (await fetch('/cases.json', {cache: 'no-store'})).json();
  // A cookie on 127.0.0.1 (all ports) for the credentialed cases.
  try {
    await fetch('http://127.0.0.1:18611/setup/cookie',
                {mode: 'cors', credentials: 'include'});
  } catch (e) {
    await log('cookie setup failed: ' + e);
  }
  const t0 = performance.now();
  for (let i = 0; i < cases.length; i += BATCH) {
    const batch = cases.slice(i, i + BATCH);
    const results = await Promise.all(batch.map(runCase));
    await post('/results', results);
    progress((i + batch.length) + '/' + cases.length);
  }
  await post('/done', {
    userAgent: navigator.userAgent,
    count: cases.length,
    ms: Math.round(performance.now() - t0),
  });
  progress('done');
}

window.addEventListener('error', (ev) => { log('error: ' + ev.message); });
window.addEventListener('unhandledrejection', (ev) => {
  log('unhandled rejection: ' + ev.reason);
});
main().catch((e) => { progress('failed: ' + e); log('runner failed: ' + e); });
