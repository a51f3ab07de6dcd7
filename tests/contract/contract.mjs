// The contract test's client: asks a real `moviec serve` every route of the OpenAPI
// document it serves (GET /openapi.json), the happy paths and each documented error,
// and validates every answer against that document with ajv (JSON Schema 2020-12, as
// OpenAPI 3.1 uses). Fails on:
//   - a status the operation does not document, or an undocumented path or method
//     answering anything but the documented 404/405 error;
//   - a Content-Type the response does not declare, a declared header missing or wrong;
//   - a body the schema rejects: schemas close their objects (additionalProperties:
//     false), so a key the spec does not describe fails too;
//   - a documented (operation, status) no case reached, unless listed in UNREACHABLE
//     with the reason a black-box client cannot cause it.
//
// Run by tests/contract/contract_test.cpp:
//   node contract.mjs BASE_URL NO_TOKEN_BASE_URL TOKEN
// BASE_URL serves examples/ (imdb, movielens, rt_export with an inbox) with TOKEN;
// NO_TOKEN_BASE_URL is a server with no token configured. Exit 0 when all holds.

import net from 'node:net';
import Ajv2020 from 'ajv/dist/2020.js';

const [base, baseNoToken, token] = process.argv.slice(2);
if (!base || !baseNoToken || !token) {
  console.error('usage: node contract.mjs BASE_URL NO_TOKEN_BASE_URL TOKEN');
  process.exit(2);
}

// Documented answers a client cannot cause against a healthy server.
const UNREACHABLE = {
  'POST /ingest/{source} 500': 'records failing to commit needs a broken store',
  'POST /ingest/{source} 503': 'a read-only store after an I/O error needs a broken disk',
  'POST /ingest/{source} 507': 'a full disk (tests/e2e/disk_full_test.cpp covers it)',
  'POST /links 503': 'a read-only store after an I/O error needs a broken disk',
  'POST /links 507': 'a full disk (tests/e2e/disk_full_test.cpp covers it)',
  'GET /assets/{sha256} 500': 'a blob changed on disk (tests/e2e/assets_test.cpp changes one)',
};

const failures = [];
const covered = new Set();
let checked = 0;

const spec = await (await fetch(base + '/openapi.json')).json();
const SPEC_ID = 'https://moviec.invalid/openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
ajv.addSchema({ ...spec, $id: SPEC_ID });
const validators = new Map();
function validatorFor(pointer) {
  if (!validators.has(pointer)) validators.set(pointer, ajv.compile({ $ref: SPEC_ID + '#' + pointer }));
  return validators.get(pointer);
}
const esc = (s) => s.replaceAll('~', '~0').replaceAll('/', '~1');

// Path templates, most literal first, as regexes.
const templates = Object.keys(spec.paths).map((t) => ({
  template: t,
  regex: new RegExp('^' + t.replace(/\./g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$'),
}));
function templateOf(path) {
  const hit = templates.find((t) => t.regex.test(path));
  return hit ? hit.template : null;
}

function fail(what, detail) {
  failures.push(`${what}: ${detail}`);
}

/// Resolves a $ref'd response object.
function deref(obj) {
  while (obj && obj.$ref) {
    const parts = obj.$ref.replace(/^#\//, '').split('/').map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
    obj = parts.reduce((o, p) => o[p], spec);
  }
  return obj;
}

/// Checks one answer against the operation it belongs to.
function check(label, method, url, status, headers, text) {
  checked++;
  const path = new URL(url).pathname;
  const template = templateOf(path);
  const op = template && spec.paths[template][method.toLowerCase()];
  const what = `${label} (${method} ${path} -> ${status})`;
  const contentType = (headers.get('content-type') || '').split(';')[0].trim();

  if (!op) {
    // No operation: only the documented 404 (no route) or 405 (with Allow) may answer.
    if (status !== 404 && status !== 405) return fail(what, 'undocumented route answered');
    if (status === 405 && !headers.get('allow')) fail(what, '405 without an Allow header');
    if (contentType !== 'application/json') return fail(what, `Content-Type ${contentType}`);
    validateBody(what, '/components/schemas/Error', text);
    covered.add(`${method} (no route) ${status}`);
    return;
  }
  const key = `${method} ${template} ${status}`;
  covered.add(key);
  const responseRaw = op.responses[String(status)];
  if (!responseRaw) return fail(what, `status ${status} is not documented for ${method} ${template}`);
  let pointer = `/paths/${esc(template)}/${method.toLowerCase()}/responses/${status}`;
  if (responseRaw.$ref) pointer = responseRaw.$ref.replace(/^#/, '');
  const response = deref(responseRaw);
  for (const [name, h] of Object.entries(response.headers || {})) {
    const value = headers.get(name);
    if (value === null) fail(what, `header ${name} missing`);
    else if (h.schema && h.schema.const !== undefined && value !== h.schema.const)
      fail(what, `header ${name} is ${value}, documented ${h.schema.const}`);
  }
  const content = response.content || {};
  const declared = Object.keys(content);
  if (declared.length === 0) {  // a 304: no body
    if (text.length !== 0) fail(what, `a body where none is documented: ${text.slice(0, 100)}`);
    return;
  }
  // A declared "image/*" takes any image type (the asset bucket's blobs).
  const match = declared.find((k) => k === contentType ||
    (k.endsWith('/*') && contentType.startsWith(k.slice(0, -1)) && contentType.length > k.length - 1));
  if (!match)
    return fail(what, `Content-Type ${contentType} not among ${declared.join(', ')}`);
  if (match === 'application/json')
    validateBody(what, `${pointer}/content/${esc(match)}/schema`, text);
  else if (text.length === 0) fail(what, 'empty body');
}

function validateBody(what, pointer, text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return fail(what, `not JSON: ${text.slice(0, 200)}`);
  }
  const validate = validatorFor(pointer);
  if (!validate(body)) {
    const errors = validate.errors
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`)
      .join('; ');
    fail(what, `body does not match ${pointer}: ${errors}; body: ${text.slice(0, 300)}`);
  }
  return body;
}

/// One request; checked, and the parsed body returned (null when not JSON).
async function call(label, method, path, { expect, body, headers = {}, server = base } = {}) {
  const url = server + path;
  const res = await fetch(url, { method, body, headers, redirect: 'manual' });
  const text = await res.text();
  check(label, method, url, res.status, res.headers, text);
  if (expect !== undefined && res.status !== expect) fail(`${label} (${method} ${path})`, `status ${res.status}, expected ${expect}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const auth = { Authorization: `Bearer ${token}` };
const q = encodeURIComponent;

// --- operations, page and contract ----------------------------------------------------
await call('the page', 'GET', '/', { expect: 200 });
await call('health', 'GET', '/healthz', { expect: 200 });
await call('metrics', 'GET', '/metrics', { expect: 200 });
await call('metrics with a parameter', 'GET', '/metrics?x=1', { expect: 400 });
await call('contract', 'GET', '/openapi.json', { expect: 200 });
await call('contract with a parameter', 'GET', '/openapi.json?format=yaml', { expect: 400 });
await call('stats', 'GET', '/stats', { expect: 200 });
await call('stats with a parameter', 'GET', '/stats?x=1', { expect: 400 });

// --- movies ------------------------------------------------------------------------------
const all = await call('search, everything', 'GET', '/movies?limit=3', { expect: 200 });
if (!all || !all.movies || all.movies.length === 0) fail('search', 'no movies in examples/');
const movie = all.movies[0];
if (all.next_cursor) await call('search, next page', 'GET', `/movies?limit=3&cursor=${q(all.next_cursor)}`, { expect: 200 });
await call('search, filters', 'GET', `/movies?q=${q(movie.title || 'x')}&genre=drama&year=${movie.year || 2000}`, { expect: 200 });
await call('search, bad year', 'GET', '/movies?year=199x', { expect: 400 });
await call('search, bad limit', 'GET', '/movies?limit=0', { expect: 400 });
await call('search, unknown parameter', 'GET', '/movies?years=1994', { expect: 400 });
await call('search, parameter twice', 'GET', '/movies?year=1&year=2', { expect: 400 });
// A movie with several sources and ratings: the richest golden record.
const ml = await call('search for a movie MovieLens has', 'GET', '/movies?limit=200', { expect: 200 });
const rich = (ml.movies || []).find((m) => m.sources.length > 1) || movie;
await call('a movie', 'GET', `/movies/${q(rich.movie_id)}`, { expect: 200 });
await call('a movie before its first event', 'GET', `/movies/${q(rich.movie_id)}?as_of=2000-01-01`, { expect: 404 });
await call('a movie as of its last event', 'GET', `/movies/${q(rich.movie_id)}?as_of=${rich.last_sequence}`, { expect: 200 });
await call('a movie as of a time', 'GET', `/movies/${q(rich.movie_id)}?as_of=2100-01-01T00:00:00Z`, { expect: 200 });
await call('a movie, bad as_of', 'GET', `/movies/${q(rich.movie_id)}?as_of=yesterday`, { expect: 400 });
await call('an unknown movie', 'GET', '/movies/tt0000000', { expect: 404 });
const hist = await call('history', 'GET', `/movies/${q(rich.movie_id)}/history?limit=1`, { expect: 200 });
if (hist && hist.next_cursor) await call('history, next page', 'GET', `/movies/${q(rich.movie_id)}/history?limit=1&cursor=${q(hist.next_cursor)}`, { expect: 200 });
await call('history, bad cursor', 'GET', `/movies/${q(rich.movie_id)}/history?cursor=abc`, { expect: 400 });
await call('history, unknown movie', 'GET', '/movies/tt0000000/history', { expect: 404 });
for (const field of ['title', 'year', 'genres', 'ratings', 'names', 'runtime_minutes', 'external_ids'])
  await call(`field story ${field}`, 'GET', `/movies/${q(rich.movie_id)}/fields/${field}`, { expect: 200 });
await call('field story, bad limit', 'GET', `/movies/${q(rich.movie_id)}/fields/title?limit=5000`, { expect: 400 });
await call('field story, unknown field', 'GET', `/movies/${q(rich.movie_id)}/fields/colour`, { expect: 404 });

// --- events ------------------------------------------------------------------------------
const feed = await call('events', 'GET', '/events?limit=50', { expect: 200 });
for (const type of ['SourceRecordChanged', 'MovieChanged', 'SourceRecordUnmatched'])
  await call(`events of type ${type}`, 'GET', `/events?type=${type}&limit=20`, { expect: 200 });
await call('events of a source', 'GET', '/events?source=movielens&limit=5', { expect: 200 });
await call('events, unknown type', 'GET', '/events?type=Nope', { expect: 400 });
await call('events, wait too long', 'GET', '/events?wait=61', { expect: 400 });
await call('events, negative after', 'GET', '/events?after=-1', { expect: 400 });
// 16 long polls at once are allowed; one more answers 503. The 16 wait at the end of
// the log; a 17th is asked until all 16 are waiting (on a loaded machine connecting
// can take seconds: httplib's listen backlog is 5), then a push wakes them.
{
  const after = feed.last_sequence;
  // A poll that connects late finds the slots taken (by a 17th below) and gets its 503;
  // it asks again, so that 16 are waiting in the end.
  let settled = false;
  const poll = () =>
    fetch(`${base}/events?after=${after}&wait=60`)
      .then((r) => r.text())
      .then((text) => (!settled && text.includes('"status":503') ? poll() : text));
  const polls = [];
  for (let i = 0; i < 16; i++) polls.push(poll());
  let busy = false;
  const until = Date.now() + 50000;
  while (!busy && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    const res = await call('one long poll more', 'GET', `/events?after=${after}&wait=1`);
    busy = res && res.error && res.error.status === 503;
  }
  settled = true;
  if (!busy) fail('a 17th long poll', 'never answered 503 while 16 were waiting');
  await call('a push that ends the long polls', 'POST', '/ingest/rt_export', {
    expect: 200, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
    body: '{"movie_title": "Long Poll Film", "in_theaters_date": "2002-02-02"}\n',
  });
  // Each of the 16 got the pushed events; one that came too late to find a slot has its 503.
  for (const text of await Promise.all(polls)) {
    const answer = JSON.parse(text);
    if (!(answer.count > 0 || (answer.error && answer.error.status === 503)))
      fail('a waiting long poll', `a push did not end it: ${text.slice(0, 200)}`);
  }
}

// --- sources -----------------------------------------------------------------------------
const sources = await call('sources', 'GET', '/sources', { expect: 200 });
await call('sources with a parameter', 'GET', '/sources?x=1', { expect: 400 });
for (const s of (sources && sources.sources) || []) {
  const rejects = await call(`rejects of ${s.name}`, 'GET', `/sources/${q(s.name)}/rejects?limit=1`, { expect: 200 });
  if (rejects && rejects.next_cursor)
    await call(`rejects of ${s.name}, next page`, 'GET', `/sources/${q(s.name)}/rejects?limit=1&cursor=${q(rejects.next_cursor)}`, { expect: 200 });
  if (s.last_run) await call(`rejects of ${s.name}'s last run`, 'GET', `/sources/${q(s.name)}/rejects?run=${s.last_run.run}`, { expect: 200 });
  await call(`match report of ${s.name}`, 'GET', `/sources/${q(s.name)}/match-report`, { expect: 200 });
  const page = await call(`unmatched of ${s.name}`, 'GET', `/sources/${q(s.name)}/unmatched?limit=2`, { expect: 200 });
  if (page && page.next_cursor)
    await call(`unmatched of ${s.name}, next page`, 'GET', `/sources/${q(s.name)}/unmatched?limit=2&cursor=${q(page.next_cursor)}`, { expect: 200 });
  await call(`unmatched of ${s.name}, by reason`, 'GET', `/sources/${q(s.name)}/unmatched?reason=no_candidates`, { expect: 200 });
}
await call('rejects, unknown source', 'GET', '/sources/nope/rejects', { expect: 404 });
await call('rejects, run not kept', 'GET', '/sources/imdb/rejects?run=1', { expect: 404 });
await call('rejects, bad limit', 'GET', '/sources/imdb/rejects?limit=x', { expect: 400 });
await call('match report, unknown source', 'GET', '/sources/nope/match-report', { expect: 404 });
await call('match report with a parameter', 'GET', '/sources/imdb/match-report?x=1', { expect: 400 });
await call('unmatched, unknown source', 'GET', '/sources/nope/unmatched', { expect: 404 });
await call('unmatched, unknown reason', 'GET', '/sources/imdb/unmatched?reason=bad', { expect: 400 });

// --- writes --------------------------------------------------------------------------------
const jsonl = { ...auth, 'Content-Type': 'application/x-ndjson' };
await call('push JSON lines', 'POST', '/ingest/rt_export', {
  expect: 200, headers: jsonl,
  body: '{"movie_title": "Contract Test Film", "in_theaters_date": "2001-02-03", "runtime_in_minutes": "90"}\n{"movie_title": ""}\n',
});
await call('push CSV', 'POST', '/ingest/rt_export', {
  expect: 200, headers: { ...auth, 'Content-Type': 'text/csv' },
  body: 'movie_title,in_theaters_date\nAnother Contract Film,1999-01-01\n',
});
await call('push into a source that takes nothing', 'POST', '/ingest/imdb', { expect: 400, headers: jsonl, body: '{}\n' });
await call('push an empty body', 'POST', '/ingest/rt_export', { expect: 400, headers: jsonl, body: '' });
await call('push without a token', 'POST', '/ingest/rt_export', { expect: 401, headers: { 'Content-Type': 'application/x-ndjson' }, body: '{}\n' });
await call('push with another token', 'POST', '/ingest/rt_export', { expect: 401, headers: { ...jsonl, Authorization: 'Bearer nope' }, body: '{}\n' });
await call('push to a server without a token', 'POST', '/ingest/rt_export', { expect: 403, headers: jsonl, body: '{}\n', server: baseNoToken });
await call('push to an unknown source', 'POST', '/ingest/nope', { expect: 404, headers: jsonl, body: '{}\n' });
await call('push XML', 'POST', '/ingest/rt_export', { expect: 415, headers: { ...auth, 'Content-Type': 'application/xml' }, body: '<a/>' });
await call('push with a parameter', 'POST', '/ingest/rt_export?x=1', { expect: 400, headers: jsonl, body: '{}\n' });
// A body over the limit is refused from its Content-Length, before it is sent.
async function declaredTooLarge(label, path, type, length) {
  const { hostname, port } = new URL(base);
  const raw = await new Promise((resolve, reject) => {
    const socket = net.createConnection({ host: hostname, port: Number(port) }, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: ${type}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.setTimeout(20000, () => { socket.destroy(); reject(new Error('413 request timed out')); });
    socket.on('data', (d) => { data += d; });
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
  const [head, ...rest] = raw.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = new Headers(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
  check(label, 'POST', `${base}${path}`, status, headers, rest.join('\r\n\r\n'));
  if (status !== 413) fail(label, `status ${status}, expected 413`);
}
await declaredTooLarge('push over 256 MiB', '/ingest/rt_export', 'application/x-ndjson', 300000000);

const link = (o) => JSON.stringify({ source: 'rt_export', by: 'contract', why: 'test', ...o });
const json = { ...auth, 'Content-Type': 'application/json' };
await call('link a record', 'POST', '/links', { expect: 200, headers: json, body: link({ source_id: 'Contract Test Film (2001-02-03)', movie_id: rich.movie_id }) });
await call('say no match', 'POST', '/links', { expect: 200, headers: json, body: link({ source_id: 'Another Contract Film (1999-01-01)', no_match: true }) });
await call('link with both', 'POST', '/links', { expect: 400, headers: json, body: link({ source_id: 'x', movie_id: rich.movie_id, no_match: true }) });
await call('link with an unknown key', 'POST', '/links', { expect: 400, headers: json, body: link({ source_id: 'x', movie: 'tt1' }) });
await call('link, not JSON', 'POST', '/links', { expect: 400, headers: json, body: 'nope' });
await call('link without a token', 'POST', '/links', { expect: 401, headers: { 'Content-Type': 'application/json' }, body: link({ source_id: 'x', no_match: true }) });
await call('link to a server without a token', 'POST', '/links', { expect: 403, headers: json, body: link({ source_id: 'x', no_match: true }), server: baseNoToken });
await call('link to an unknown source', 'POST', '/links', { expect: 404, headers: json, body: JSON.stringify({ source: 'nope', source_id: 'x', no_match: true, by: 'a', why: 'b' }) });
await call('link to an unknown movie', 'POST', '/links', { expect: 404, headers: json, body: link({ source_id: 'x', movie_id: 'tt0000000' }) });
// After the writes: the unmatched list holds a person's "no match", events the links.
await call('unmatched after a no-match', 'GET', '/sources/rt_export/unmatched?reason=no_match', { expect: 200 });
await call('events after the writes', 'GET', `/events?after=${feed.last_sequence}&limit=1000`, { expect: 200 });
await call('sources after the writes', 'GET', '/sources', { expect: 200 });

// --- the asset bucket ---------------------------------------------------------------------------
// A 1x1 PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const stored = await call('store an asset', 'POST', '/assets', { expect: 201, headers: { ...auth, 'Content-Type': 'image/png' }, body: png });
await call('store it again', 'POST', '/assets', { expect: 200, headers: { ...auth, 'Content-Type': 'image/png' }, body: png });
await call('store an empty asset', 'POST', '/assets', { expect: 400, headers: { ...auth, 'Content-Type': 'image/png' }, body: '' });
await call('store an asset without a token', 'POST', '/assets', { expect: 401, headers: { 'Content-Type': 'image/png' }, body: png });
await call('store an asset on a server without a token', 'POST', '/assets', { expect: 403, headers: { 'Content-Type': 'image/png' }, body: png, server: baseNoToken });
await call('store a text as an asset', 'POST', '/assets', { expect: 415, headers: { ...auth, 'Content-Type': 'text/plain' }, body: 'hello' });
await declaredTooLarge('an asset over 100 MiB', '/assets', 'video/mp4', 200000000);
if (stored && stored.address) {
  await call('an asset', 'GET', stored.address, { expect: 200 });
  await call('an asset, one range', 'GET', stored.address, { expect: 206, headers: { Range: 'bytes=0-7' } });
  await call('an asset, several ranges', 'GET', stored.address, { expect: 200, headers: { Range: 'bytes=0-1,3-4' } });
  await call('an asset, a range beyond its end', 'GET', stored.address, { expect: 416, headers: { Range: `bytes=${png.length}-` } });
  await call('an asset the client has', 'GET', stored.address, { expect: 304, headers: { 'If-None-Match': `"${stored.sha256}"` } });
  await call('an asset with a parameter', 'GET', stored.address + '?x=1', { expect: 400 });
}
await call('an asset, not a SHA-256', 'GET', '/assets/poster.png', { expect: 400 });
await call('an unknown asset', 'GET', '/assets/' + '0'.repeat(64), { expect: 404 });

// --- no route, another method ------------------------------------------------------------------
await call('a path no route has', 'GET', '/nope', { expect: 404 });
await call('another method on a known path', 'POST', '/movies', { expect: 405, headers: json, body: '{}' });
await call('DELETE on a movie', 'DELETE', `/movies/${q(rich.movie_id)}`, { expect: 405 });

// --- every documented answer was reached --------------------------------------------------------
for (const [template, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
    for (const status of Object.keys(op.responses)) {
      const key = `${method.toUpperCase()} ${template} ${status}`;
      if (!covered.has(key) && !UNREACHABLE[key]) fail('coverage', `${key} is documented but no case reached it`);
    }
  }
}

console.log(`contract: ${checked} answers checked, ${covered.size} (operation, status) pairs reached, ` +
  `${Object.keys(UNREACHABLE).length} documented as unreachable`);
if (failures.length) {
  console.log(`contract: ${failures.length} failures`);
  for (const f of failures) console.log('  FAIL ' + f);
  process.exit(1);
}
console.log('contract: every answer matches docs/openapi.yaml');
