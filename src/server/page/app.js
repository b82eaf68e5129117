// opedex web page: a search box, facets, a timeline and an article view on
// the JSON API. Every piece of article text is written with textContent or
// as a text node, never as markup; links are made only for http(s) URLs.
"use strict";

const FILTERS = ["author", "outlet", "topic", "lang", "within"];
const FACETS = [
  ["outlets", "outlet", "Outlets"],
  ["authors", "author", "Authors"],
  ["topics", "topic", "Topics"],
  ["langs", "lang", "Languages"],
  ["years", null, "Years"],
];
const PAGE = 10;
// Passages shown when the results are narrowed to one article.
const WITHIN = 20;
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

function safeUrl(u) {
  try {
    const url = new URL(u);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch (_) {
    return null;
  }
}

// The page's state is its URL: q, filters, dates, offset, or an article id.
function state() {
  return new URLSearchParams(location.search);
}

function go(params, replace) {
  const url = params.toString() ? "?" + params.toString() : location.pathname;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  render();
}

function withParams(change) {
  const p = state();
  p.delete("article");
  p.delete("offset");
  change(p);
  return p;
}

// Highlights are byte ranges of the UTF-8 text: cut the bytes, decode each part.
function highlighted(text, ranges) {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of ranges || []) {
    if (start < at || end > bytes.length || start >= end) continue;
    out.append(dec.decode(bytes.subarray(at, start)));
    out.append(el("mark", {}, dec.decode(bytes.subarray(start, end))));
    at = end;
  }
  out.append(dec.decode(bytes.subarray(at)));
  return out;
}

function citation(a) {
  const parts = [];
  if (a.authors && a.authors.length) parts.push(a.authors.join(", "));
  if (a.outlet) parts.push(a.outlet);
  if (a.published) parts.push(a.published);
  if (a.section) parts.push(a.section);
  return parts.join(" · ") || "(no author, outlet or date)";
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function articleLink(id, label) {
  const p = state();
  p.set("article", id);
  return el("a", { href: "?" + p.toString(), "data-article": id, onclick: (e) => {
    e.preventDefault();
    go(p);
  } }, label);
}

function renderHit(hit) {
  const url = safeUrl(hit.url || "");
  const title = url
    ? el("a", { href: url, rel: "noopener noreferrer" }, hit.title)
    : articleLink(hit.article_id, hit.title);
  const p = state();
  const within = p.get("within") === hit.article_id;
  const passages = withParams((q) => {
    if (within) q.delete("within"); else q.set("within", hit.article_id);
  });
  const more = el("span", { class: "more" },
    articleLink(hit.article_id, "read the article"), " · ",
    el("a", { href: "?" + passages.toString(), "data-within": hit.article_id,
      onclick: (e) => { e.preventDefault(); go(passages); } },
    within ? "passages of every article" : "more passages of this article"));
  const topics = (hit.topics || []).length ? el("p", { class: "topics" }, hit.topics.join(" · ")) : null;
  const also = (hit.also_in || []).length
    ? el("p", { class: "also" }, "also in: " + hit.also_in.map((x) => x.outlet || x.url || "").join(", "))
    : null;
  return el("li", { class: "hit" },
    el("h2", {}, title),
    el("p", { class: "citation" }, citation(hit)),
    topics, also,
    el("p", { class: "passage" }, highlighted(hit.text, hit.highlights)),
    more);
}

function renderFacets(facets, p) {
  const box = $("facets");
  box.replaceChildren();
  if (!facets) return;
  for (const [key, param, label] of FACETS) {
    const counts = facets[key];
    if (!counts || !counts.values.length) continue;
    const list = el("ul", {});
    // Values come most frequent first (years in time order).
    for (const { value, count } of counts.values.slice(0, 12)) {
      let active = false;
      let toggle;
      if (param) {
        active = p.getAll(param).includes(value);
        toggle = withParams((q) => {
          const kept = q.getAll(param).filter((v) => v !== value);
          q.delete(param);
          kept.forEach((v) => q.append(param, v));
          if (!active) q.append(param, value);
        });
      } else {
        active = p.get("since") === value && p.get("until") === value;
        toggle = withParams((q) => {
          if (active) { q.delete("since"); q.delete("until"); } else { q.set("since", value); q.set("until", value); }
        });
      }
      const link = el("a", { href: "?" + toggle.toString(), class: active ? "active" : "",
        "data-facet": key, "data-value": value, onclick: (e) => { e.preventDefault(); go(toggle); } },
        value, " ", el("span", { class: "count" }, String(count)));
      list.append(el("li", {}, link));
    }
    box.append(el("section", {}, el("h3", {}, label), list));
  }
}

function renderActiveFilters(p) {
  const box = $("filters");
  box.replaceChildren();
  const active = [];
  for (const f of FILTERS) for (const v of p.getAll(f)) active.push([f, v]);
  if (p.get("since") || p.get("until")) active.push(["dates", (p.get("since") || "…") + " – " + (p.get("until") || "…")]);
  const names = { within: "article" };
  for (const [f, v] of active) {
    const without = withParams((q) => {
      if (f === "dates") { q.delete("since"); q.delete("until"); return; }
      const kept = q.getAll(f).filter((x) => x !== v);
      q.delete(f);
      kept.forEach((x) => q.append(f, x));
    });
    box.append(el("a", { href: "?" + without.toString(), class: "chip", onclick: (e) => { e.preventDefault(); go(without); } },
      (names[f] || f) + ": " + v + " ✕"));
  }
}

// Matching articles over time as SVG bars, by month, or by year when the
// matches span more than five years; a click or a drag sets the dates.
function timelineEntries(facets) {
  if (!facets) return [];
  const dated = (f) => f.values.filter((v) => v.value !== "unknown").map((v) => [v.value, v.count]);
  const years = dated(facets.years);
  if (years.length < 1) return [];
  const span = Number(years[years.length - 1][0]) - Number(years[0][0]);
  return span > 5 ? years : dated(facets.months);
}

function renderTimeline(entries) {
  const box = $("timeline");
  box.replaceChildren();
  if (entries.length < 2) return;
  const ns = "http://www.w3.org/2000/svg";
  const width = 600, height = 80, gap = 1;
  const max = Math.max(...entries.map(([, n]) => n));
  const bar = width / entries.length;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height + 14}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Matching articles over time; click or drag to set dates");
  let dragFrom = null;
  const span = (i, j) => {
    const [a, b] = [Math.min(i, j), Math.max(i, j)];
    return withParams((q) => { q.set("since", entries[a][0]); q.set("until", entries[b][0]); });
  };
  entries.forEach(([key, n], i) => {
    const h = Math.max(1, (n / max) * height);
    const rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", i * bar);
    rect.setAttribute("y", height - h);
    rect.setAttribute("width", Math.max(1, bar - gap));
    rect.setAttribute("height", h);
    rect.setAttribute("data-period", key);
    rect.setAttribute("tabindex", "0");
    const tip = document.createElementNS(ns, "title");
    tip.textContent = `${key}: ${n}`;
    rect.append(tip);
    rect.addEventListener("mousedown", (e) => { dragFrom = i; e.preventDefault(); });
    rect.addEventListener("mouseup", () => { if (dragFrom !== null) { const from = dragFrom; dragFrom = null; go(span(from, i)); } });
    rect.addEventListener("keydown", (e) => { if (e.key === "Enter") go(span(i, i)); });
    svg.append(rect);
  });
  for (const i of [0, entries.length - 1]) {
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", i === 0 ? 0 : width);
    label.setAttribute("y", height + 12);
    label.setAttribute("text-anchor", i === 0 ? "start" : "end");
    label.textContent = entries[i][0];
    svg.append(label);
  }
  box.append(svg);
}

function renderPages(total, offset) {
  const box = $("pages");
  box.replaceChildren();
  if (total === undefined || total <= PAGE) return;
  const link = (label, to) => {
    const p = state();
    p.set("offset", String(to));
    return el("a", { href: "?" + p.toString(), onclick: (e) => { e.preventDefault(); go(p); } }, label);
  };
  if (offset > 0) box.append(link("← previous", Math.max(0, offset - PAGE)));
  if (offset + PAGE < total) box.append(link("next →", offset + PAGE));
}

async function renderSearch(p) {
  $("article").hidden = true;
  $("results").hidden = false;
  renderActiveFilters(p);
  const q = p.get("q") || "";
  $("q").value = q;
  $("mode").value = p.get("mode") || "";
  const hasFilter = FILTERS.some((f) => p.get(f)) || p.get("since") || p.get("until");
  if (!q && !hasFilter) {
    $("summary").textContent = "Type a query, or pick a topic, an outlet or an author.";
    $("hits").replaceChildren();
    $("timeline").replaceChildren();
    $("pages").replaceChildren();
    renderFacets(null, p);
    return;
  }
  const query = new URLSearchParams();
  for (const [k, v] of p) if (k !== "article") query.append(k, v);
  const within = p.get("within");
  query.delete("within");
  if (within) {
    query.set("article", within);
    query.set("per_article", String(WITHIN));
  }
  query.set("n", String(within ? WITHIN : PAGE));
  query.set("facets", "true");
  $("summary").textContent = "Searching…";
  try {
    const r = await api("/api/v1/search?" + query.toString());
    const shown = r.hits.length;
    const offset = Number(p.get("offset") || 0);
    let summary = r.total !== undefined
      ? `${r.total} matching article${r.total === 1 ? "" : "s"}` + (shown ? `, ${offset + 1}–${offset + shown} shown` : "")
      : `${shown} result${shown === 1 ? "" : "s"}`;
    if (r.corrected_query) summary += ` · showing results for “${r.corrected_query}”`;
    if (r.stop_word_phrase) summary += ` · searched as the phrase “${r.stop_word_phrase}”`;
    if (r.did_you_mean) summary += ` · did you mean “${r.did_you_mean}”?`;
    if (r.mode === "semantic") summary += " · ranked by meaning";
    if (r.mode === "hybrid") summary += " · ranked by words and meaning";
    $("summary").textContent = summary;
    $("hits").replaceChildren(...r.hits.map(renderHit));
    renderFacets(r.facets, p);
    renderTimeline(timelineEntries(r.facets));
    renderPages(r.total, offset);
  } catch (e) {
    $("summary").textContent = "Error: " + e.message;
    $("hits").replaceChildren();
  }
}

async function renderArticle(p) {
  const id = p.get("article");
  const box = $("article");
  $("results").hidden = true;
  box.hidden = false;
  box.replaceChildren(el("p", {}, "Loading…"));
  try {
    const a = await api("/api/v1/articles/" + encodeURIComponent(id));
    const back = withParams(() => {});
    const url = safeUrl(a.url || "");
    const parts = [
      el("a", { href: "?" + back.toString(), class: "back", onclick: (e) => { e.preventDefault(); go(back); } }, "← back to results"),
      el("h1", {}, a.title),
      el("p", { class: "citation" }, citation(a)),
    ];
    if (url) parts.push(el("p", {}, el("a", { href: url, rel: "noopener noreferrer" }, "original: " + url)));
    if ((a.topics || []).length) parts.push(el("p", { class: "topics" }, a.topics.join(" · ")));
    for (const card of a.author_cards || []) {
      const lines = [el("strong", {}, card.name)];
      for (const aff of card.affiliations || []) lines.push(el("span", {}, aff));
      if (card.orcid) lines.push(el("span", {}, "ORCID " + card.orcid));
      parts.push(el("p", { class: "card" }, ...lines));
    }
    if ((a.also_in || []).length) {
      parts.push(el("p", { class: "also" }, "also ran in: " + a.also_in.map((x) => x.outlet || x.url || "").join(", ")));
    }
    for (const para of (a.body || "").split("\n\n")) parts.push(el("p", { class: "body" }, para));
    const similar = el("ol", { id: "similar" });
    parts.push(el("h2", {}, "Similar articles"), similar);
    box.replaceChildren(...parts);
    const s = await api("/api/v1/articles/" + encodeURIComponent(a.id) + "/similar?n=5");
    similar.replaceChildren(...s.hits.map((h) => el("li", {}, articleLink(h.article_id, h.title), " — ", citation(h))));
  } catch (e) {
    box.replaceChildren(el("p", {}, "Error: " + e.message));
  }
}

function render() {
  const p = state();
  if (p.get("article")) renderArticle(p);
  else renderSearch(p);
}

document.addEventListener("DOMContentLoaded", () => {
  $("search").addEventListener("submit", (e) => {
    e.preventDefault();
    go(withParams((p) => {
      const q = $("q").value.trim();
      if (q) p.set("q", q); else p.delete("q");
      const mode = $("mode").value;
      if (mode) p.set("mode", mode); else p.delete("mode");
    }));
  });
  $("home").addEventListener("click", (e) => { e.preventDefault(); go(new URLSearchParams()); });
  document.addEventListener("keydown", (e) => {
    const typing = ["INPUT", "TEXTAREA"].includes(document.activeElement.tagName);
    if (e.key === "/" && !typing) { e.preventDefault(); $("q").focus(); }
  });
  window.addEventListener("popstate", render);
  render();
});
