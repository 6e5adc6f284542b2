// Tawthiq: resumable evidence uploads from the browser, for connections
// that drop (docs/spec/resumable-upload.md). No libraries, no inline
// script; ES2017.
//
//   window.tawthiqUpload(file, reportID, {user, onProgress(sent, total), onState(text, code)})
//     → Promise of the server's answer for the stored file, the same a
//       one-shot upload gives: {record, custody, existed}.
//
// The file goes in 256 KiB pieces. After a network error, a timeout or a
// server error the script waits (1, 2, 4 … 30 s, or until the browser is
// back online), asks the server how much it holds and goes on from
// there. The upload's id is kept in localStorage, keyed by a digest of the
// report, file name, size and modification time, so a reloaded page that is given the
// same file for the same report resumes it. The file is only ever read a
// piece at a time (Blob.slice); nothing needs it whole in memory. The
// promise rejects with an Error whose message is in the page's language,
// with .status, .code and .field from the server's answer when there is
// one.
(function () {
  "use strict";

  const CHUNK = 256 * 1024;
  const MAX_WAIT = 30; // seconds between attempts, at most
  const CHUNK_TIMEOUT = 3 * 60 * 1000; // a piece that takes longer is given up and resumed
  const FINISH_TIMEOUT = 15 * 60 * 1000; // the last piece: the server hashes and stores the file
  const SHORT_TIMEOUT = 60 * 1000; // starting an upload, asking for its offset
  const KEEP = 24 * 60 * 60 * 1000; // the server forgets an upload untouched for a day
  const PREFIX = "tawthiq.upload:";
  const OFFSET_HEADER = "Upload-Offset";

  const STRINGS = {
    en: {
      creating: "Starting the upload…",
      sending: "Sending…",
      resuming: "Resuming after {0} already received",
      retrying: "Connection lost. Trying again in {0} s…",
      offline: "Offline. The upload will go on when the connection returns.",
      finishing: "Checking and storing the file…",
      stored: "Stored",
      restarting: "The server no longer has the part already sent; starting again.",
      empty: "The file is empty; nothing to send.",
      failed: "The server refused the upload",
    },
    ar: {
      creating: "جارٍ بدء الرفع…",
      sending: "جارٍ الإرسال…",
      resuming: "استئناف الرفع بعد {0} وصلت من قبل",
      retrying: "انقطع الاتصال. إعادة المحاولة بعد {0} ث…",
      offline: "لا اتصال بالشبكة. سيُستأنف الرفع حين يعود الاتصال.",
      finishing: "جارٍ التحقق من الملف وحفظه…",
      stored: "حُفظ",
      restarting: "لم يعد لدى الخادم الجزء المرسل؛ يبدأ الرفع من جديد.",
      empty: "الملف فارغ؛ لا شيء لإرساله.",
      failed: "رفض الخادم الرفع",
    },
  };
  const lang = (document.documentElement.lang || "").toLowerCase().indexOf("ar") === 0 ? "ar" : "en";

  function t(key, arg) {
    return STRINGS[lang][key].replace("{0}", arg === undefined ? "" : String(arg));
  }

  function formatBytes(n) {
    const units = lang === "ar" ? ["بايت", "ك.بايت", "م.بايت", "غ.بايت"] : ["B", "KB", "MB", "GB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return new Intl.NumberFormat(lang, { maximumFractionDigits: i ? 1 : 0 }).format(n) + " " + units[i];
  }

  // --- the upload's id, kept across reloads ---------------------------

  // digest stands for the file in storage keys, so a seized device's
  // storage does not list the names of the files a reporter sent: a
  // 64-bit FNV-1a of the UTF-8 key, in hex (enough to tell a reporter's
  // files apart; not a secret, only not the name).
  function digest(s) {
    const b = new TextEncoder().encode(s);
    let h1 = 0x811c9dc5, h2 = 0x050c5d1f;
    for (let i = 0; i < b.length; i++) {
      h1 = Math.imul(h1 ^ b[i], 16777619) >>> 0;
      h2 = Math.imul(h2 ^ b[i], 16777619) >>> 0;
    }
    return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
  }

  function remembered(key) {
    try {
      const v = JSON.parse(localStorage.getItem(key) || "null");
      if (v && typeof v.id === "string" && Date.now() - v.at < KEEP) return v.id;
      localStorage.removeItem(key);
    } catch (e) {
      // storage disabled or a damaged entry: start afresh
    }
    return null;
  }

  function remember(key, id) {
    try {
      localStorage.setItem(key, JSON.stringify({ id: id, at: Date.now() }));
    } catch (e) {
      // storage full or disabled: the upload still works, without resuming after a reload
    }
  }

  function forget(key) {
    try {
      localStorage.removeItem(key);
    } catch (e) {
      // nothing to do
    }
  }

  // Entries the server has forgotten name files; do not keep them.
  function pruneExpired() {
    try {
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const k = localStorage.key(i);
        if (k && k.indexOf(PREFIX) === 0) remembered(k);
      }
    } catch (e) {
      // storage disabled
    }
  }

  // --- requests ---------------------------------------------------------

  // request is fetch with a time limit. It rejects with .transient set on
  // a network error or a timeout.
  function request(url, init, ms) {
    const ctl = new AbortController();
    const timer = setTimeout(function () { ctl.abort(); }, ms);
    init.signal = ctl.signal;
    init.cache = "no-store";
    init.credentials = "same-origin";
    return fetch(url, init).then(
      function (resp) { clearTimeout(timer); return resp; },
      function () {
        clearTimeout(timer);
        const err = new Error("network");
        err.transient = true;
        throw err;
      });
  }

  // Statuses worth waiting out: the server busy, restarting or failing.
  function transientStatus(status) {
    return status >= 500 || status === 423 || status === 429 || status === 408;
  }

  // failure makes an Error of a refusal, in the page's language.
  async function failure(resp) {
    let body = null;
    try {
      body = await resp.json();
    } catch (e) {
      // not JSON: a proxy's page, say
    }
    const e = (body && body.error) || {};
    const first = (e.fields && e.fields[0]) || {};
    const err = new Error((lang === "ar" ? e.message_ar : e.message) || e.message || t("failed") + " (" + resp.status + ")");
    err.status = resp.status;
    err.code = e.code || "";
    err.field = first.field || "";
    err.fieldCode = first.code || "";
    err.transient = transientStatus(resp.status);
    return err;
  }

  function offsetOf(resp) {
    const v = resp.headers.get(OFFSET_HEADER);
    return v !== null && /^[0-9]+$/.test(v) ? Number(v) : null;
  }

  function uploadURL(id) {
    return "/api/v1/uploads/" + encodeURIComponent(id);
  }

  // --- waiting ----------------------------------------------------------

  // sleep resolves after seconds, or as soon as the browser comes back
  // online.
  function sleep(seconds) {
    return new Promise(function (resolve) {
      let timer = 0;
      function done() {
        clearTimeout(timer);
        window.removeEventListener("online", done);
        resolve();
      }
      timer = setTimeout(done, seconds * 1000);
      window.addEventListener("online", done);
    });
  }

  // pause waits before the next attempt: until the browser is online, then
  // with a delay that doubles at each failure in a row.
  async function pause(s) {
    while (navigator.onLine === false) {
      s.onState(t("offline"), "offline");
      await sleep(60);
    }
    const wait = s.delay;
    s.delay = Math.min(s.delay * 2, MAX_WAIT);
    s.onState(t("retrying", wait), "retrying");
    await sleep(wait);
  }

  // retrying runs fn until it succeeds or fails for good.
  async function retrying(s, fn) {
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (!err.transient) throw err;
        await pause(s);
      }
    }
  }

  // --- the protocol -----------------------------------------------------

  async function create(s) {
    s.onState(t("creating"), "creating");
    const body = { name: s.file.name, size: s.file.size };
    if (s.file.type) body.content_type = s.file.type;
    const headers = { "Content-Type": "application/json", "Accept": "application/json" };
    const resp = await request("/api/v1/reports/" + encodeURIComponent(s.reportID) + "/uploads",
      { method: "POST", headers: headers, body: JSON.stringify(body) }, SHORT_TIMEOUT);
    if (resp.status !== 201) throw await failure(resp);
    const up = await resp.json();
    if (!up || typeof up.id !== "string") throw new Error(t("failed"));
    return up.id;
  }

  // offset asks how many bytes the server holds; null if it has no such
  // upload.
  async function offset(id) {
    const resp = await request(uploadURL(id), { method: "HEAD" }, SHORT_TIMEOUT);
    if (resp.status === 404) return null;
    const n = offsetOf(resp);
    if (!resp.ok || n === null) {
      const err = new Error(t("failed"));
      err.transient = true;
      throw err;
    }
    return n;
  }

  function gone() {
    const err = new Error(t("restarting"));
    err.gone = true;
    return err;
  }

  // resume waits, then asks where to go on from.
  async function resume(s, id) {
    await pause(s);
    const n = await retrying(s, function () { return offset(id); });
    if (n === null) throw gone();
    return n;
  }

  // send sends the file from offset on and returns the stored file's
  // answer.
  async function send(s, id, from) {
    const total = s.file.size;
    let at = from;
    s.onProgress(at, total);
    for (;;) {
      const end = Math.min(at + CHUNK, total);
      s.onState(end === total ? t("finishing") : t("sending"), end === total ? "finishing" : "sending");
      const headers = { "Content-Type": "application/offset+octet-stream", "Accept": "application/json" };
      headers[OFFSET_HEADER] = String(at);
      let resp;
      try {
        resp = await request(uploadURL(id), { method: "PATCH", headers: headers, body: s.file.slice(at, end) },
          end === total ? FINISH_TIMEOUT : CHUNK_TIMEOUT);
      } catch (err) {
        at = await resume(s, id);
        s.onProgress(at, total);
        continue;
      }
      const n = offsetOf(resp);
      if (resp.status === 204 && n !== null) {
        at = n;
        s.delay = 1;
        remember(s.key, id); // the server keeps it a day from now
        s.onProgress(at, total);
        continue;
      }
      if (resp.status === 201 || resp.status === 200) {
        const result = await resp.json();
        s.onProgress(total, total);
        s.onState(t("stored"), "stored");
        return result;
      }
      if (resp.status === 409 && n !== null) {
        at = n; // the server holds more (or less) than we thought: go on from its offset
        s.onProgress(at, total);
        continue;
      }
      const err = await failure(resp);
      if (resp.status === 404) throw gone();
      if (err.transient || err.fieldCode === "truncated") {
        at = await resume(s, id);
        s.onProgress(at, total);
        continue;
      }
      throw err;
    }
  }

  async function tawthiqUpload(file, reportID, opts) {
    opts = opts || {};
    const noop = function () {};
    const s = {
      file: file,
      reportID: String(reportID),
      user: opts.user || "",
      onProgress: opts.onProgress || noop,
      onState: opts.onState || noop,
      key: PREFIX + digest(reportID + ":" + file.name + ":" + file.size + ":" + file.lastModified),
      delay: 1,
    };
    if (file.size === 0) throw new Error(t("empty"));
    pruneExpired();
    for (let restarts = 0; ; restarts++) {
      let id = remembered(s.key);
      let from = null;
      if (id !== null) from = await retrying(s, function () { return offset(id); });
      if (from === null) {
        id = await retrying(s, function () { return create(s); });
        from = 0;
      } else if (from > 0) {
        s.onState(t("resuming", formatBytes(from)), "resuming");
      }
      remember(s.key, id);
      try {
        const result = await send(s, id, from);
        forget(s.key);
        return result;
      } catch (err) {
        forget(s.key);
        // The server forgot the upload (a day untouched), or it was
        // started under another name: send the file again, from the start.
        if ((err.gone || err.fieldCode === "not_uploader") && restarts < 2) {
          s.onState(t("restarting"), "restarting");
          continue;
        }
        throw err;
      }
    }
  }

  window.tawthiqUpload = tawthiqUpload;
})();
