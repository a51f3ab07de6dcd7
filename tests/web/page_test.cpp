// The web page as a user meets it: the real binary ingests examples/ (IMDb and
// MovieLens) plus one movie whose title changes to a piece of HTML, `moviec serve`
// answers GET / with the page compiled into it, and real headless Chromium loads
// the page's views (#/search, #/movies/ID, a field's story, as_of, #/sources) and
// dumps the DOM the page built from the JSON API. The checks read that DOM: what a
// person would see, and that the HTML title stayed text.
//
// Without /usr/bin/chromium the browser tests are skipped with a WARN
// (scripts/setup.sh installs it); the plain HTTP test always runs.

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <httplib.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

const char* kChromium = "/usr/bin/chromium";

// The movie whose title turns into markup: if the page ever put data into
// innerHTML, the browser would make an <img> of it and run its onerror.
const std::string kOldTitle = "Le Voyage";
const std::string kNewTitle = "<img src=x onerror=document.body.dataset.pwned=1> Voyage & Co";

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// A title.basics / title.ratings pair holding tt9999999 with `title`, in `dir`.
std::vector<std::string> imdb_one(const fs::path& dir, const std::string& title) {
  write_file(dir / "title.basics.tsv",
             "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\t"
             "runtimeMinutes\tgenres\n"
             "tt9999999\tmovie\t" + title + "\t" + title + "\t0\t1902\t\\N\t13\tAdventure,Fantasy\n");
  write_file(dir / "title.ratings.tsv", "tconst\taverageRating\tnumVotes\ntt9999999\t8.1\t54000\n");
  return {(dir / "title.basics.tsv").string(), (dir / "title.ratings.tsv").string()};
}

void ingest(const std::string& data, const std::string& source, const std::vector<std::string>& files) {
  std::vector<std::string> args{"ingest", "--data", data, "--source", source, "--json"};
  args.insert(args.end(), files.begin(), files.end());
  auto r = run_moviec(args);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
}

/// One store and one server for the whole file: ingested once, served until exit.
/// Sequences: tt9999999 gets 1-2 (first title) and 3-4 (the markup title), before
/// examples/ goes in, so the imdb source's last run is the examples run.
struct Site {
  TempDir dir;
  std::unique_ptr<Server> server;

  Site() {
    auto data = (dir / "data").string();
    ingest(data, "imdb", imdb_one(dir / "v1", kOldTitle));
    ingest(data, "imdb", imdb_one(dir / "v2", kNewTitle));
    auto ex = examples();
    ingest(data, "imdb",
           {(ex / "imdb/title.basics.tsv").string(), (ex / "imdb/title.ratings.tsv").string(),
            (ex / "imdb/title.akas.tsv").string()});
    ingest(data, "movielens",
           {(ex / "movielens/movies.csv").string(), (ex / "movielens/links.csv").string(),
            (ex / "movielens/ratings.csv").string()});
    server = std::make_unique<Server>(data);
  }
  std::string url(const std::string& hash) const {
    return "http://127.0.0.1:" + std::to_string(server->port()) + "/" + hash;
  }
};

Site& site() {
  static Site s;
  return s;
}

bool have_chromium() { return fs::exists(kChromium); }

/// The DOM headless Chromium holds once the page settled, as HTML text. Waits for
/// the page's own "done" mark (<main data-state="ready"|"error">); a slow machine
/// gets two more tries.
std::string dump_dom(const std::string& hash) {
  std::string dom;
  for (int attempt = 0; attempt < 3; ++attempt) {
    TempDir profile;  // its own profile: runs in parallel do not share a lock
    std::string cmd = "timeout 120 " + shell_quote(kChromium) +
                      " --headless=new --no-sandbox --disable-gpu --no-first-run"
                      " --user-data-dir=" + shell_quote(profile.str()) +
                      " --virtual-time-budget=5000 --dump-dom " + shell_quote(site().url(hash)) +
                      " 2>/dev/null";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    REQUIRE(pipe);
    dom.clear();
    char buf[8192];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) dom.append(buf, n);
    ::pclose(pipe);
    if (dom.find("data-state=\"ready\"") != std::string::npos ||
        dom.find("data-state=\"error\"") != std::string::npos)
      break;
  }
  return dom;
}

/// The part of `html` from the first `start` (after `from`) to the next `end`; "" if absent.
std::string between(const std::string& html, const std::string& start, const std::string& end,
                    std::size_t from = 0) {
  auto i = html.find(start, from);
  if (i == std::string::npos) return "";
  auto j = html.find(end, i + start.size());
  return html.substr(i, j == std::string::npos ? std::string::npos : j - i);
}

/// What a person reads: tags dropped (each becomes one space), the usual entities decoded.
std::string text_of(const std::string& html) {
  std::string out;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') in_tag = true;
    else if (c == '>') { in_tag = false; out += ' '; }
    else if (!in_tag) out += c;
  }
  const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&nbsp;", " "}, {"&amp;", "&"}};
  for (auto& [from, to] : entities)
    for (auto at = out.find(from); at != std::string::npos; at = out.find(from, at + 1))
      out.replace(at, std::string(from).size(), to);
  std::string squeezed;  // a run of white space as one space
  for (char c : out) {
    if (c != ' ' && c != '\n' && c != '\t') squeezed += c;
    else if (!squeezed.empty() && squeezed.back() != ' ') squeezed += ' ';
  }
  return squeezed;
}

/// The rows of a table body (or any list) as text, one per `<tr`/`<li`.
std::vector<std::string> rows_of(const std::string& html, const std::string& tag = "<tr") {
  std::vector<std::string> rows;
  for (auto i = html.find(tag); i != std::string::npos;) {
    auto next = html.find(tag, i + tag.size());
    rows.push_back(html.substr(i, next == std::string::npos ? std::string::npos : next - i));
    i = next;
  }
  return rows;
}

/// The page loaded and rendered without an error.
void require_ready(const std::string& dom) {
  INFO(text_of(between(dom, "<main", "</main>")));
  REQUIRE(dom.find("<main id=\"view\" data-state=\"ready\"") != std::string::npos);
  REQUIRE(dom.find("class=\"error\"") == std::string::npos);
}

#define REQUIRE_BROWSER()                                                   \
  if (!have_chromium()) {                                                   \
    WARN("/usr/bin/chromium is absent (scripts/setup.sh installs it): skipped"); \
    return;                                                                 \
  }

}  // namespace

TEST_CASE("GET / answers the page compiled into the binary as text/html", "[web]") {
  httplib::Client client("127.0.0.1", site().server->port());
  auto res = client.Get("/");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
  // Byte for byte web/index.html of the source tree, which the build embedded.
  std::ifstream in(fs::path(MOVIEC_EXAMPLES).parent_path() / "web" / "index.html", std::ios::binary);
  REQUIRE(in);
  std::ostringstream page;
  page << in.rdbuf();
  REQUIRE(page.str().size() > 1000);
  CHECK(res->body == page.str());
  CHECK(res->body.find("<main id=\"view\"") != std::string::npos);

  auto head = client.Head("/");
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->get_header_value("Content-Type") == "text/html; charset=utf-8");

  // The rest of the API stays JSON.
  auto missing = client.Get("/index.html");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(missing->get_header_value("Content-Type") == "application/json; charset=utf-8");
}

TEST_CASE("a search lists the matching movies, each linking to its record, and pages by cursor",
          "[web][browser]") {
  REQUIRE_BROWSER();
  // Two "Blacksmith Scene"s, 1893 and 1895: the year picks one.
  auto both = dump_dom("#/search?q=blacksmith");
  require_ready(both);
  CHECK(rows_of(between(both, "<section id=\"results\"", "</section>"), "<li").size() == 2);

  auto dom = dump_dom("#/search?q=blacksmith&year=1893");
  require_ready(dom);
  auto results = between(dom, "<section id=\"results\"", "</section>");
  auto items = rows_of(results, "<li");
  REQUIRE(items.size() == 1);
  CHECK(items[0].find("href=\"#/movies/tt0000005\"") != std::string::npos);
  CHECK(text_of(items[0]).find("Blacksmith Scene (1893)") != std::string::npos);
  CHECK(text_of(results).find("1 movie with title words “blacksmith”, year 1893.") != std::string::npos);
  // The form shows what was asked.
  CHECK(dom.find("name=\"q\" value=\"blacksmith\"") != std::string::npos);
  CHECK(dom.find("name=\"year\" value=\"1893\"") != std::string::npos);

  // Two per page: the "next page" link carries the cursor, and the next page goes on.
  auto first = dump_dom("#/search?genre=short&year=1895&limit=2");
  require_ready(first);
  auto first_items = rows_of(between(first, "<ul class=\"results\"", "</ul>"), "<li");
  REQUIRE(first_items.size() == 2);
  std::smatch next;
  auto pager = between(first, "id=\"pager\"", "</div>");
  REQUIRE(std::regex_search(pager, next, std::regex("href=\"(#/search\\?[^\"]*cursor=[^\"]+)\"")));
  std::string next_hash = std::regex_replace(next[1].str(), std::regex("&amp;"), "&");
  CHECK(next_hash.find("genre=short") != std::string::npos);
  CHECK(next_hash.find("limit=2") != std::string::npos);
  auto second = dump_dom(next_hash);
  require_ready(second);
  auto second_items = rows_of(between(second, "<ul class=\"results\"", "</ul>"), "<li");
  REQUIRE(!second_items.empty());
  CHECK(second_items.size() <= 2);
  std::regex id(R"re(data-movie="(tt\d+)")re");
  std::smatch a, b;
  REQUIRE(std::regex_search(first_items[1], a, id));
  REQUIRE(std::regex_search(second_items[0], b, id));
  CHECK(b[1].str() > a[1].str());  // movie-id order, after the cursor
  CHECK(text_of(second_items[0]).find("1895") != std::string::npos);
}

TEST_CASE("a movie shows every field with its value and provenance, and its history oldest first",
          "[web][browser]") {
  REQUIRE_BROWSER();
  auto dom = dump_dom("#/movies/tt9999999");
  require_ready(dom);

  // The title as text: the markup in it is shown, not obeyed.
  CHECK(text_of(between(dom, "<h2 id=\"movie-title\"", "</h2>")).find(kNewTitle + " (1902)") != std::string::npos);
  CHECK(dom.find("&lt;img src=x onerror=") != std::string::npos);
  CHECK(dom.find("<img") == std::string::npos);
  CHECK(dom.find("data-pwned") == std::string::npos);

  // Golden record: field, value, source, rule, the event that supplied it.
  auto golden = between(dom, "<table id=\"golden\"", "</table>");
  auto title_row = text_of(between(golden, "data-field=\"title\"", "</tr>"));
  CHECK(title_row.find(kNewTitle) != std::string::npos);
  CHECK(title_row.find("imdb source_priority #3") != std::string::npos);
  auto year_row = text_of(between(golden, "data-field=\"year\"", "</tr>"));
  CHECK(year_row.find("1902 imdb source_priority #1") != std::string::npos);  // unchanged since #1
  auto genres_row = text_of(between(golden, "data-field=\"genres\"", "</tr>"));
  CHECK(genres_row.find("Adventure, Fantasy imdb union") != std::string::npos);
  auto ratings_row = text_of(between(golden, "data-field=\"ratings\"", "</tr>"));
  CHECK(ratings_row.find("imdb 8.1/10 (54000 votes) imdb per_source") != std::string::npos);
  CHECK(golden.find("href=\"#/movies/tt9999999/fields/title\"") != std::string::npos);

  // History: four events in order; the second MovieChanged says old -> new, source, rule.
  auto history = between(dom, "<section id=\"history\"", "</section>");
  auto rows = rows_of(between(history, "<tbody", "</tbody>"));
  REQUIRE(rows.size() == 4);
  for (int i = 0; i < 4; ++i) CHECK(rows[i].find("id=\"event-" + std::to_string(i + 1) + "\"") != std::string::npos);
  CHECK(rows[0].find("data-type=\"SourceRecordChanged\"") != std::string::npos);
  CHECK(text_of(rows[0]).find("matched by source_movie_id") != std::string::npos);
  CHECK(rows[3].find("data-type=\"MovieChanged\"") != std::string::npos);
  auto change = text_of(rows[3]);
  INFO(change);
  CHECK(change.find("title : " + kOldTitle + " → " + kNewTitle + " (imdb, source_priority, from #3)") !=
        std::string::npos);
  CHECK(change.find("title.basics.tsv:2 (event #3)") != std::string::npos);
  CHECK(text_of(rows[1]).find("year : — → 1902 (imdb, source_priority, from #1)") != std::string::npos);
}

TEST_CASE("a field's story lists every value it had with where it came from", "[web][browser]") {
  REQUIRE_BROWSER();
  auto dom = dump_dom("#/movies/tt9999999/fields/title");
  require_ready(dom);
  auto story = between(dom, "<section id=\"field-story\"", "</section>");
  CHECK(text_of(story).find("Story of “title”") != std::string::npos);
  auto rows = rows_of(between(story, "<tbody", "</tbody>"));
  REQUIRE(rows.size() == 2);
  auto first = text_of(rows[0]), second = text_of(rows[1]);
  INFO(first << "\n" << second);
  CHECK(first.find("#2") != std::string::npos);
  CHECK(first.find("— → " + kOldTitle + " imdb source_priority (rules v1, source_record) #1 SourceRecordChanged imdb tt9999999") !=
        std::string::npos);
  CHECK(second.find(kOldTitle + " → " + kNewTitle + " imdb source_priority") != std::string::npos);
  CHECK(second.find("#3 SourceRecordChanged") != std::string::npos);
}

TEST_CASE("as of an event or a time shows the record as it was then", "[web][browser]") {
  REQUIRE_BROWSER();
  auto dom = dump_dom("#/movies/tt9999999?as_of=2");
  require_ready(dom);
  CHECK(text_of(between(dom, "<h2 id=\"movie-title\"", "</h2>")).find(kOldTitle + " (1902)") != std::string::npos);
  CHECK(text_of(between(dom, "id=\"as-of-note\"", "</div>")).find("after event #2") != std::string::npos);
  CHECK(dom.find("name=\"as_of\" value=\"2\"") != std::string::npos);
  auto title_row = text_of(between(dom, "data-field=\"title\"", "</tr>"));
  CHECK(title_row.find(kOldTitle + " imdb source_priority #1") != std::string::npos);
  // The events after that point are still listed, marked as later.
  auto history = between(dom, "<section id=\"history\"", "</section>");
  auto rows = rows_of(between(history, "<tbody", "</tbody>"));
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].find("class=\"later\"") == std::string::npos);
  CHECK(rows[2].find("class=\"later\"") != std::string::npos);
  CHECK(rows[3].find("class=\"later\"") != std::string::npos);

  // A time long after every event: the current record.
  auto later = dump_dom("#/movies/tt9999999?as_of=2999-01-01T00:00:00Z");
  require_ready(later);
  CHECK(text_of(between(later, "id=\"as-of-note\"", "</div>")).find("at 2999-01-01T00:00:00.000Z") != std::string::npos);
  CHECK(text_of(between(later, "<h2 id=\"movie-title\"", "</h2>")).find(kNewTitle) != std::string::npos);

  // Something that is neither: the server's message, shown as an error.
  auto bad = dump_dom("#/movies/tt9999999?as_of=yesterday");
  CHECK(bad.find("data-state=\"error\"") != std::string::npos);
  CHECK(text_of(between(bad, "class=\"error\"", "</div>")).find("as_of must be an event sequence") != std::string::npos);
}

TEST_CASE("the sources view shows each source's counts, last run and match report", "[web][browser]") {
  REQUIRE_BROWSER();
  auto dom = dump_dom("#/sources");
  require_ready(dom);
  auto table = between(dom, "<table id=\"sources\"", "</table>");
  auto imdb = text_of(between(table, "data-source=\"imdb\"", "</tr>"));
  auto movielens = text_of(between(table, "data-source=\"movielens\"", "</tr>"));
  auto rt = text_of(between(table, "data-source=\"rotten_tomatoes\"", "</tr>"));
  INFO(imdb << "\n" << movielens << "\n" << rt);
  // name, format, records, rejects, runs, last run (state, way, when, input, summary)
  CHECK(imdb.find("imdb imdb_tsv 201 0 3 done (cli)") != std::string::npos);
  CHECK(imdb.find("title.basics.tsv, title.ratings.tsv, title.akas.tsv read 200, changed 200") != std::string::npos);
  // the match report: decided, matched by method, unmatched, ambiguous, no match, rate
  CHECK(imdb.find("201 201 (source_movie_id 201) 0 0 0 100.00 %") != std::string::npos);
  CHECK(movielens.find("movielens movielens_csv 40 0 1 done (cli)") != std::string::npos);
  CHECK(movielens.find("40 40 (external_id 40) 0 0 0 100.00 %") != std::string::npos);
  CHECK(rt.find("rotten_tomatoes rotten_tomatoes_csv 0 0 0 never") != std::string::npos);
  CHECK(rt.find("0 0 (—) 0 0 0 —") != std::string::npos);
  CHECK(table.find("href=\"#/sources/movielens\"") != std::string::npos);

  auto one = dump_dom("#/sources/movielens");
  require_ready(one);
  auto report = text_of(between(one, "<table id=\"match-report\"", "</table>"));
  CHECK(report.find("records decided on 40 matched 40 by method external_id 40 unmatched 0") != std::string::npos);
  CHECK(report.find("match rate 100.00 %") != std::string::npos);
}
