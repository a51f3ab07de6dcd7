// Drives headless Chromium (playwright-core, pinned by package-lock.json, with the
// system's /usr/bin/chromium) through moviec's web page and prints what it saw as
// one JSON object on stdout; tests/web/*.cpp check it.
//
//   node tests/web/browse.mjs media BASE_URL MOVIE_ID [SCREENSHOT.png]
//     the movie view: the poster image (loaded, its natural size), the trailer
//     video (metadata, duration), a seek to 2.5 s ("seeked", currentTime), and
//     every response for /assets/ (status, Content-Range) the browser got.
//   node tests/web/browse.mjs front BASE_URL [SCREENSHOT.png]
//     the front (#/): each movie card with its sources, conflicts, rating bars and
//     poster (decoded size).
//   node tests/web/browse.mjs charts BASE_URL HASH [SCREENSHOT.png]
//     every <svg id=...> the view drew: its bars (label, 0-100 value, text) and its
//     timeline marks (sequence, kind, lane).
//   node tests/web/browse.mjs shot BASE_URL HASH SCREENSHOT.png [SELECTOR]
//     the view at HASH once ready: a screenshot and the text of SELECTOR (or <main>).
import { chromium } from "playwright-core";

const argv = process.argv.slice(2);
if (argv[0] === "front") argv.splice(2, 0, "#/");
const [mode, base, arg, shot, selector] = argv;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"],
  timeout: 60000,
});
const out = { assets: [], console_errors: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.setDefaultTimeout(30000);
  page.on("console", m => { if (m.type() === "error") out.console_errors.push(m.text()); });
  page.on("response", r => {
    const u = new URL(r.url());
    if (u.pathname.startsWith("/assets/"))
      out.assets.push({ path: u.pathname, status: r.status(), range: r.request().headers()["range"] || null,
                        content_range: r.headers()["content-range"] || null });
  });
  const hash = mode === "media" ? "#/movies/" + encodeURIComponent(arg) : arg;
  await page.goto(base + "/" + hash);
  await page.waitForSelector('main[data-state="ready"], main[data-state="error"]');
  out.state = await page.getAttribute("main", "data-state");
  if (mode === "media") {
    out.poster = await page.evaluate(async () => {
      const img = document.getElementById("poster");
      if (!img) return null;
      if (!img.complete) await new Promise(r => { img.onload = r; img.onerror = r; });
      return { src: img.getAttribute("src"), width: img.naturalWidth, height: img.naturalHeight };
    });
    out.trailer = await page.evaluate(async () => {
      const v = document.getElementById("trailer");
      if (!v) return null;
      const wait = (ev) => new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("no " + ev + " within 20 s")), 20000);
        v.addEventListener(ev, () => { clearTimeout(t); resolve(); }, { once: true });
        v.addEventListener("error", () => { clearTimeout(t); reject(new Error("media error " + (v.error && v.error.code))); }, { once: true });
      });
      if (v.readyState < 1) await wait("loadedmetadata");
      const duration = v.duration;
      const seeked = wait("seeked");
      v.currentTime = 2.5;
      await seeked;
      return { src: v.getAttribute("src"), duration, current_time: v.currentTime, ready_state: v.readyState,
               controls: v.controls, error: v.error ? v.error.code : null };
    });
  } else if (mode === "charts") {
    out.charts = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("svg[id]")].map(s => [s.id, {
      width: s.getBoundingClientRect().width,
      bars: [...s.querySelectorAll("g[data-label]")].map(g => ({ label: g.dataset.label, value: Number(g.dataset.value),
                                                                  text: g.querySelectorAll("text")[1].textContent })),
      marks: [...s.querySelectorAll("g[data-seq]")].map(g => ({ seq: Number(g.dataset.seq), kind: g.dataset.kind, lane: g.dataset.lane })),
    }])));
  } else if (mode === "front") {
    await page.waitForFunction(() => [...document.images].every(i => i.complete));
    out.cards = await page.evaluate(() => [...document.querySelectorAll("article.card")].map(c => ({
      movie: c.dataset.movie,
      title: c.querySelector("h3").innerText,
      sources: [...c.querySelectorAll(".chip")].map(x => x.dataset.source),
      conflicts: [...c.querySelectorAll(".conflict[data-field]")].map(x => x.innerText),
      bars: [...c.querySelectorAll("svg.chart g[data-label]")].map(g => ({ label: g.dataset.label, value: Number(g.dataset.value) })),
      poster: c.querySelector("img") ? { src: c.querySelector("img").getAttribute("src"), width: c.querySelector("img").naturalWidth } : null,
    })));
  } else {
    out.text = await page.evaluate(sel => {
      const n = document.querySelector(sel);
      return n ? n.innerText : null;
    }, selector || "main");
  }
  if (shot) await page.screenshot({ path: shot, fullPage: true });
} catch (e) {
  out.failure = String(e && e.message || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
