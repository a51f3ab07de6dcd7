// End to end as a user runs it: real IMDb files in, `moviec ingest`, `moviec serve`
// on a loopback port, real HTTP requests, values checked against the files.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "store/db.hpp"
#include "support/moviec_json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace moviec::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, sep)) out.push_back(field);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

/// The complete rows of a TSV file by first column (the test's own reading).
std::map<std::string, std::vector<std::string>> read_tsv(const fs::path& file, std::size_t columns) {
  std::map<std::string, std::vector<std::string>> rows;
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    auto f = split(line, '\t');
    if (f.size() == columns) rows[f[0]] = f;
  }
  return rows;
}

/// Checks every complete basics row (with its rating) against GET /movies/{id}.
void check_movies_against_files(httplib::Client& client, const fs::path& dir, std::size_t max_checked) {
  auto basics = read_tsv(dir / "title.basics.tsv", 9);
  auto ratings = read_tsv(dir / "title.ratings.tsv", 3);
  std::size_t checked = 0;
  for (auto& [tconst, row] : basics) {
    if (checked++ >= max_checked) break;
    auto movie = get_json(client, "/movies/" + tconst);
    CHECK(movie["movie_id"] == tconst);
    CHECK(movie["title"] == row[2]);
    if (row[5] != "\\N") CHECK(movie["year"] == std::stoi(row[5]));
    if (row[8] != "\\N") {
      std::vector<std::string> genres = split(row[8], ',');
      CHECK(movie["genres"].get<std::vector<std::string>>() == genres);
    }
    CHECK(movie["provenance"]["title"]["source"] == "imdb");
    CHECK(movie["provenance"]["title"]["rule"] == "source_priority");
    CHECK(movie["provenance"]["title"]["sequence"].get<std::uint64_t>() > 0);
    auto rating = ratings.find(tconst);
    if (rating != ratings.end()) {
      CHECK(movie["ratings"]["imdb"]["value"].get<double>() == Approx(std::stod(rating->second[1])));
      CHECK(movie["ratings"]["imdb"]["votes"].get<long>() == std::stol(rating->second[2]));
    }
  }
  CHECK(checked > 0);
}

}  // namespace

TEST_CASE("the bundled IMDb excerpt is ingested and served over HTTP", "[e2e]") {
  TempDir dir;
  auto ex = examples() / "imdb";
  auto summary = ingest_json(dir.str(), "imdb",
                             {(ex / "title.basics.tsv").string(), (ex / "title.ratings.tsv").string()});
  CHECK(summary["read"].get<int>() > 100);
  CHECK(summary["rejected"] == 0);
  CHECK(summary["changed"] == summary["read"]);
  CHECK(summary["appended"].get<int>() == 2 * summary["read"].get<int>());
  for (auto key : {"read", "changed", "unchanged", "rejected", "appended", "seconds"}) CHECK(summary.contains(key));

  Server server(dir.str());
  httplib::Client client("127.0.0.1", server.port());
  check_movies_against_files(client, ex, 1000);

  auto carmencita = get_json(client, "/movies/tt0000001");
  CHECK(carmencita["title"] == "Carmencita");
  CHECK(carmencita["year"] == 1894);

  auto found = get_json(client, "/movies?q=carmencita&year=1894&genre=Documentary&limit=20");
  REQUIRE(found["movies"].size() >= 1);
  CHECK(found["movies"][0]["movie_id"] == "tt0000001");
  auto none = get_json(client, "/movies?q=carmencita&year=1999");
  CHECK(none["movies"].empty());

  auto stats = get_json(client, "/stats");
  CHECK(stats["events"] == summary["appended"]);
  CHECK(stats["movies"] == summary["read"]);
  CHECK(stats["sources"]["imdb"]["records"] == summary["read"]);
  get_json(client, "/movies/tt9999999999", 404);
}

TEST_CASE("the real IMDb samples are ingested, malformed rows rejected, the rest served", "[e2e][shared]") {
  if (!have_shared_data()) {
    WARN("../shared/data is absent: skipped");
    return;
  }
  for (std::string sample : {"artemchapaev-tiny", "katzi23-truncated"}) {
    SECTION(sample) {
      TempDir dir;
      auto src = shared_data() / "imdb-tsv-samples" / sample;
      auto summary = ingest_json(dir.str(), "imdb",
                                 {(src / "title.basics.tsv").string(), (src / "title.ratings.tsv").string()});
      auto basics = read_tsv(src / "title.basics.tsv", 9);
      CHECK(summary["read"].get<std::size_t>() == basics.size());
      CHECK(summary["changed"].get<std::size_t>() == basics.size());
      if (sample == "katzi23-truncated") {
        // The truncated last line is rejected with its file and line in the rejects file.
        CHECK(summary["rejected"].get<int>() >= 1);
        std::ifstream rejects(summary["rejects_file"].get<std::string>());
        std::string all((std::istreambuf_iterator<char>(rejects)), {});
        CHECK(all.find("title.basics.tsv\t29887\t") != std::string::npos);
      }
      Server server(dir.str());
      httplib::Client client("127.0.0.1", server.port());
      check_movies_against_files(client, src, 300);
      auto stats = get_json(client, "/stats");
      CHECK(stats["movies"].get<std::size_t>() == basics.size());
      CHECK(stats["events"] == summary["appended"]);
    }
  }
}

TEST_CASE("ingesting the same files twice appends nothing the second time", "[e2e]") {
  TempDir dir;
  auto ex = examples() / "imdb";
  std::vector<std::string> files{(ex / "title.basics.tsv").string(), (ex / "title.ratings.tsv").string()};
  auto first = ingest_json(dir.str(), "imdb", files);
  CHECK(first["appended"].get<int>() > 0);
  auto second = ingest_json(dir.str(), "imdb", files);
  CHECK(second["appended"] == 0);
  CHECK(second["changed"] == 0);
  CHECK(second["unchanged"] == first["read"]);
  CHECK(run_moviec({"verify", "--data", dir.str()}).exit_code == 0);
}

TEST_CASE("a changed rating appends one SourceRecordChanged and one MovieChanged", "[e2e]") {
  TempDir dir;
  auto write = [&](const std::string& rating) {
    std::ofstream basics(dir / "title.basics.tsv");
    basics << "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
           << "tt0000001\tshort\tCarmencita\tCarmencita\t0\t1894\t\\N\t1\tDocumentary,Short\n"
           << "tt0000002\tshort\tLe clown et ses chiens\tLe clown et ses chiens\t0\t1892\t\\N\t5\tAnimation,Short\n";
    std::ofstream ratings(dir / "title.ratings.tsv");
    ratings << "tconst\taverageRating\tnumVotes\n"
            << "tt0000001\t" << rating << "\t2150\n"
            << "tt0000002\t5.5\t291\n";
  };
  std::vector<std::string> files{(dir / "title.basics.tsv").string(), (dir / "title.ratings.tsv").string()};
  auto data = (dir / "data").string();
  write("5.7");
  auto first = ingest_json(data, "imdb", files);
  CHECK(first["appended"] == 4);
  write("6.1");
  auto second = ingest_json(data, "imdb", files);
  CHECK(second["changed"] == 1);
  CHECK(second["unchanged"] == 1);
  CHECK(second["appended"] == 2);

  Server server(data);
  httplib::Client client("127.0.0.1", server.port());
  auto movie = get_json(client, "/movies/tt0000001");
  CHECK(movie["ratings"]["imdb"]["value"].get<double>() == Approx(6.1));
  CHECK(movie["provenance"]["ratings"]["sequence"] == 5);  // the second SourceRecordChanged
  CHECK(movie["version"] == 4);
  auto other = get_json(client, "/movies/tt0000002");
  CHECK(other["version"] == 2);
  CHECK(get_json(client, "/stats")["events"] == 6);
}

TEST_CASE("verify fails when a read model differs from the log", "[e2e]") {
  TempDir dir;
  auto ex = examples() / "imdb";
  ingest_json(dir.str(), "imdb",
              {(ex / "title.basics.tsv").string(), (ex / "title.ratings.tsv").string()});
  REQUIRE(run_moviec({"verify", "--data", dir.str()}).exit_code == 0);
  {
    // Tamper with one stored golden record behind the projection's back.
    auto db = moviec::store::Db::open((dir / "db").string());
    REQUIRE(db);
    rocksdb::WriteBatch batch;
    batch.Put((*db)->cf(moviec::store::ColumnFamily::movies), "tt0000001", "{\"movie_id\":\"tt0000001\"}");
    REQUIRE((*db)->write(batch, true));
  }
  auto r = run_moviec({"verify", "--data", dir.str()});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("tt0000001") != std::string::npos);
}

TEST_CASE("an invalid config file stops moviec with exit 2 and names the key", "[e2e]") {
  TempDir dir;
  {
    std::ofstream config(dir / "moviec.json");
    config << R"({"rules": {"fields": {"title": {"strategy": "best"}}}})";
  }
  auto r = run_moviec({"verify", "--data", dir.str(), "--config", (dir / "moviec.json").string()});
  CHECK(r.exit_code == 2);
  auto ingest = run_moviec({"ingest", "--data", dir.str(), "--config", (dir / "moviec.json").string(),
                            (examples() / "imdb" / "title.basics.tsv").string()});
  CHECK(ingest.exit_code == 2);
}
