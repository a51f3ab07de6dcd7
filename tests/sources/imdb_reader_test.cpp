#include "sources/imdb_reader.hpp"

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sources/record_reader.hpp"
#include "support/read_all.hpp"
#include "support/temp_dir.hpp"

using moviec::config::SourceConfig;
using moviec::events::LocalizedName;
using moviec::sources::Item;
using moviec::sources::open_reader;
using moviec::sources::Reject;
using moviec::test::write_file;

namespace {

const std::string kBasicsHeader =
    "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\t"
    "runtimeMinutes\tgenres\n";
const std::string kRatingsHeader = "tconst\taverageRating\tnumVotes\n";
const std::string kAkasHeader =
    "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle\n";

SourceConfig imdb_source(nlohmann::json options = nlohmann::json::object()) {
  return moviec::test::source_config("imdb", "imdb_tsv", std::move(options));
}

struct ImdbResult : moviec::test::ReadResult {
  std::vector<Reject> rejects_of(const std::string& file) const {
    std::vector<Reject> out;
    for (auto& r : rejects)
      if (r.file == file) out.push_back(r);
    return out;
  }
};

ImdbResult read_imdb(const std::vector<std::string>& files,
                     const SourceConfig& source = imdb_source()) {
  return moviec::test::read_all<ImdbResult>(source, files);
}

// One well-formed basics row.
std::string basics_row(const std::string& tconst, const std::string& title = "A Film",
                       const std::string& year = "1999") {
  return tconst + "\tmovie\t" + title + "\t" + title + "\t0\t" + year + "\t\\N\t90\tDrama\n";
}

// The reasons given for `file`, in order.
std::vector<std::string> reasons(const ImdbResult& r, const std::string& file) {
  std::vector<std::string> out;
  for (auto& rej : r.rejects_of(file)) out.push_back(rej.reason);
  return out;
}

}  // namespace

// --- the real samples ----------------------------------------------------------

TEST_CASE("imdb katzi23 sample: every complete basics row is a record", "[sources][imdb]") {
  if (!moviec::test::have_shared_data()) {
    WARN("shared data not found; skipping");
    return;
  }
  auto dir = moviec::test::shared_data() / "imdb-tsv-samples" / "katzi23-truncated";
  auto r = read_imdb({(dir / "title.basics.tsv").string(), (dir / "title.ratings.tsv").string()},
                     imdb_source({{"max_rejects_per_file", 1000000}}));
  CHECK(r.items.size() == 29885);
  CHECK(r.items.front().record.source_id == "tt0000001");
  CHECK(r.items.back().record.source_id == "tt0030426");
  CHECK(r.bytes_read == r.bytes_total);
  CHECK(r.bytes_total == 2 * 2327272);

  // The truncated last line of basics ("tt0030427\tmo", no newline).
  auto basics = r.rejects_of("title.basics.tsv");
  REQUIRE(basics.size() == 1);
  CHECK(basics[0].line == 29887);
  CHECK(basics[0].reason == "expected 9 columns, got 2");

  // ratings: 15,193 rows join; 116,818 are for titles past the cut of basics;
  // the last line ("tt019323") is truncated.
  auto with_rating = std::count_if(r.items.begin(), r.items.end(),
                                   [](const Item& i) { return !i.record.source_ratings.empty(); });
  CHECK(with_rating == 15193);
  auto ratings = r.rejects_of("title.ratings.tsv");
  CHECK(ratings.size() == 116818 + 1);
  auto unmatched = std::count_if(ratings.begin(), ratings.end(), [](const Reject& x) {
    return x.reason.rfind("no title.basics row for tt", 0) == 0 &&
           x.reason.find(" in this input") != std::string::npos;
  });
  CHECK(unmatched == 116818);
  CHECK(ratings.back().line == 132013);
  CHECK(ratings.back().reason == "expected 3 columns, got 1");
  CHECK(r.rejects.size() == 1 + 116818 + 1);
}

TEST_CASE("imdb katzi23 sample: tt0000001 maps every column", "[sources][imdb]") {
  if (!moviec::test::have_shared_data()) {
    WARN("shared data not found; skipping");
    return;
  }
  auto dir = moviec::test::shared_data() / "imdb-tsv-samples" / "katzi23-truncated";
  auto r = read_imdb({(dir / "title.ratings.tsv").string(), (dir / "title.basics.tsv").string()});
  // The default cap lists 10,000 unmatched ratings rows and summarises the rest;
  // the truncated line is another kind of reject and is still listed.
  auto ratings = r.rejects_of("title.ratings.tsv");
  REQUIRE(ratings.size() == 10002);
  CHECK(ratings[10000].line == 132013);
  CHECK(ratings.back().line == 0);
  CHECK(ratings.back().reason ==
        "106818 more rows without a title.basics row not listed (116818 in all; "
        "max_rejects_per_file is 10000)");

  auto* carmencita = r.find("tt0000001");
  REQUIRE(carmencita != nullptr);
  CHECK(carmencita->input == "title.basics.tsv:2");
  const auto& rec = carmencita->record;
  CHECK(rec.source == "imdb");
  CHECK(rec.movie_id == "tt0000001");
  CHECK(rec.title == "Carmencita");
  CHECK(rec.year == 1894);
  CHECK(rec.runtime_minutes == 1);
  CHECK(rec.genres == std::vector<std::string>{"Documentary", "Short"});
  CHECK(rec.names.empty());
  CHECK(rec.metadata == std::map<std::string, std::string>{{"title_type", "short"},
                                                           {"is_adult", "0"}});
  CHECK(rec.external_ids == std::map<std::string, std::string>{{"imdb", "tt0000001"}});
  REQUIRE(rec.source_ratings.size() == 1);
  CHECK(rec.source_ratings[0] == moviec::events::Rating{"imdb", 5.7, 1, 10, 2150, 57});

  // Poor Pierrot: the original title differs, so it is a name.
  auto* pierrot = r.find("tt0000003");
  REQUIRE(pierrot != nullptr);
  CHECK(pierrot->record.title == "Poor Pierrot");
  CHECK(pierrot->record.names == std::vector<LocalizedName>{{"Pauvre Pierrot", "", "", true}});
  CHECK(pierrot->record.source_ratings.at(0).value == 6.5);
  CHECK(pierrot->record.source_ratings.at(0).votes == 2186);

  // tt0000202 has no runtime: \N is no value, not a reject.
  auto* jardin = r.find("tt0000202");
  REQUIRE(jardin != nullptr);
  CHECK_FALSE(jardin->record.runtime_minutes.has_value());
  CHECK(jardin->input == "title.basics.tsv:201");
}

TEST_CASE("imdb artemchapaev sample: unsorted ratings and akas are sorted in memory, nothing "
          "is lost, unmatched rows are rejected",
          "[sources][imdb]") {
  if (!moviec::test::have_shared_data()) {
    WARN("shared data not found; skipping");
    return;
  }
  auto dir = moviec::test::shared_data() / "imdb-tsv-samples" / "artemchapaev-tiny";
  auto r = read_imdb({(dir / "title.basics.tsv").string(), (dir / "title.ratings.tsv").string(),
                      (dir / "title.akas.tsv").string()});
  REQUIRE(r.items.size() == 15);
  CHECK(r.bytes_read == r.bytes_total);

  // ratings is not sorted (tt16747572 at line 16 comes after tt17592606 at line
  // 15): only the 3 tconsts without a basics row are rejected.
  auto ratings = r.rejects_of("title.ratings.tsv");
  REQUIRE(ratings.size() == 3);
  CHECK(ratings[0].line == 7);
  CHECK(ratings[0].reason == "no title.basics row for tt0111161 in this input");
  CHECK(ratings[1].line == 9);
  CHECK(ratings[1].reason == "no title.basics row for tt0259534 in this input");
  CHECK(ratings[2].line == 15);
  CHECK(ratings[2].reason == "no title.basics row for tt17592606 in this input");

  // akas (tt21093976 at line 96 is out of order): the 9 rows of tt17592606 have no basics.
  auto akas = r.rejects_of("title.akas.tsv");
  REQUIRE(akas.size() == 9);
  for (std::size_t i = 0; i < 9; ++i) {
    CHECK(akas[i].line == 81 + i);
    CHECK(akas[i].reason == "no title.basics row for tt17592606 in this input");
  }
  CHECK(r.rejects.size() == 12);

  // Every basics row has its rating: 15 of the 18 ratings rows join.
  for (auto& item : r.items) {
    INFO(item.record.source_id);
    CHECK(item.record.source_ratings.size() == 1);
  }
  // The rows that were out of order are joined, not skipped.
  CHECK(r.find("tt16747572")->record.source_ratings.at(0) ==
        moviec::events::Rating{"imdb", 9.6, 1, 10, 10349, 96});
  CHECK(r.find("tt16747572")->record.names.size() == 7);
  const auto& prima_facie = r.find("tt21093976")->record;
  CHECK(prima_facie.source_ratings.at(0).value == 9.3);
  CHECK(prima_facie.names.size() == 7);
  CHECK(std::count(prima_facie.names.begin(), prima_facie.names.end(),
                   LocalizedName{"NT Live: Prima Facie", "NL", "", false}) == 1);
  CHECK(r.find("tt26744184")->record.names.size() == 2);

  auto* blacksmith = r.find("tt0000005");
  REQUIRE(blacksmith != nullptr);
  CHECK(blacksmith->record.genres == std::vector<std::string>{"Comedy", "Short"});
  CHECK(blacksmith->record.source_ratings.at(0).value == 6.2);
  CHECK(blacksmith->record.source_ratings.at(0).normalized == 62);
  const auto& names = blacksmith->record.names;
  CHECK(names.size() == 12);
  CHECK(names[0] == LocalizedName{"Blacksmith Scene", "US", "", false});
  CHECK(names[1] == LocalizedName{"Blacksmith Scene", "", "", true});
  CHECK(std::count(names.begin(), names.end(),
                   LocalizedName{"Blacksmith Scene", "CA", "en", false}) == 1);
  CHECK(std::count(names.begin(), names.end(), LocalizedName{"Ковальська сцена", "UA", "", false}) ==
        1);

  // The original title from basics and the akas "original" row are one name.
  auto* gg = r.find("tt21288778");
  REQUIRE(gg != nullptr);
  CHECK(gg->record.title == "Gandhada Gudi");
  CHECK(gg->record.names.size() == 6);
  CHECK(gg->record.names[0] == LocalizedName{"GG - Gandhada Gudi", "", "", true});

}

TEST_CASE("imdb bundled examples read with zero rejects", "[sources][imdb]") {
  auto dir = moviec::test::examples() / "imdb";
  auto r = read_imdb({(dir / "title.basics.tsv").string(), (dir / "title.ratings.tsv").string(),
                      (dir / "title.akas.tsv").string()});
  for (auto& rej : r.rejects) INFO(rej.file << ":" << rej.line << ": " << rej.reason);
  CHECK(r.rejects.empty());
  CHECK(r.items.size() == 200);
  auto* carmencita = r.find("tt0000001");
  REQUIRE(carmencita != nullptr);
  CHECK(carmencita->record.title == "Carmencita");
  CHECK(carmencita->record.source_ratings.at(0).votes == 2150);
  CHECK(r.find("tt0000005")->record.names.size() == 12);
  CHECK(r.bytes_read == r.bytes_total);
}

// --- small files, one reason at a time -------------------------------------------

TEST_CASE("imdb rows with the wrong column count are rejected with their line",
          "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "title.basics.tsv",
                      kBasicsHeader + basics_row("tt0000001") + "tt0000002\tmovie\tX\n" +
                          basics_row("tt0000003") + "tt0000004\tmo");
  auto r = read_imdb({basics});
  CHECK(r.items.size() == 2);
  CHECK(reasons(r, "title.basics.tsv") ==
        std::vector<std::string>{"expected 9 columns, got 3", "expected 9 columns, got 2"});
  CHECK(r.rejects.at(0).line == 3);
  CHECK(r.rejects.at(1).line == 5);
  CHECK(r.items[1].input == "title.basics.tsv:4");
}

TEST_CASE("imdb a tconst that is not tt and digits is rejected", "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "title.basics.tsv",
                      kBasicsHeader + basics_row("nm0000001") + basics_row("tt") +
                          basics_row("tt12x") + basics_row("tt0000001"));
  auto r = read_imdb({basics});
  CHECK(r.items.size() == 1);
  CHECK(reasons(r, "title.basics.tsv") ==
        std::vector<std::string>{"tconst \"nm0000001\" is not an IMDb id (tt and digits)",
                                 "tconst \"tt\" is not an IMDb id (tt and digits)",
                                 "tconst \"tt12x\" is not an IMDb id (tt and digits)"});
}

TEST_CASE("imdb bad years and runtimes are rejected with the value", "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto basics = write_file(
      dir, "title.basics.tsv",
      kBasicsHeader + basics_row("tt1", "A", "18x4") + basics_row("tt2", "B", "12") +
          "tt3\tmovie\tC\tC\t0\t1990\t\\N\t-5\tDrama\n" +
          "tt4\tmovie\tD\tD\t0\t1990\tsoon\t90\tDrama\n" +
          "tt5\tmovie\tE\tE\t0\t1990\t\\N\t1.5\tDrama\n" +
          "tt6\tmovie\tF\tF\t2\t1990\t\\N\t90\tDrama\n" +
          "tt7\tmovie\t\\N\t\\N\t0\t1990\t\\N\t90\tDrama\n" +
          "tt8\ttvSeries\tG\tG\t0\t1990\t1995\t0\t\\N\n");
  auto r = read_imdb({basics});
  REQUIRE(r.items.size() == 1);
  CHECK(reasons(r, "title.basics.tsv") ==
        std::vector<std::string>{"startYear \"18x4\": not a whole number",
                                 "startYear 12: out of range 1800..2200",
                                 "runtimeMinutes -5: out of range 0..1000000",
                                 "endYear \"soon\": not a whole number",
                                 "runtimeMinutes \"1.5\": not a whole number",
                                 "isAdult \"2\": expected 0 or 1",
                                 "no primaryTitle or originalTitle"});
  // Runtime 0 is "unknown"; the end year goes to metadata; \N genres are none.
  const auto& rec = r.items[0].record;
  CHECK(rec.source_id == "tt8");
  CHECK_FALSE(rec.runtime_minutes.has_value());
  CHECK(rec.metadata.at("end_year") == "1995");
  CHECK(rec.metadata.at("title_type") == "tvSeries");
  CHECK(rec.genres.empty());
}

TEST_CASE("imdb bad ratings and vote counts are rejected", "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "title.basics.tsv",
                      kBasicsHeader + basics_row("tt1") + basics_row("tt2") + basics_row("tt3") +
                          basics_row("tt4") + basics_row("tt5"));
  auto ratings = write_file(dir, "title.ratings.tsv",
                       kRatingsHeader + "tt1\t5,5\t10\n" + "tt2\t11\t10\n" + "tt3\t7.5\tmany\n" +
                           "tt4\t7.5\t-1\n" + "tt5\t7.25\t12\n");
  auto r = read_imdb({basics, ratings});
  REQUIRE(r.items.size() == 5);
  CHECK(reasons(r, "title.ratings.tsv") ==
        std::vector<std::string>{"averageRating \"5,5\": not a number",
                                 "averageRating 11: out of range 1..10",
                                 "numVotes \"many\": not a whole number",
                                 "numVotes -1: must not be negative"});
  for (int i = 0; i < 4; ++i) CHECK(r.items[i].record.source_ratings.empty());
  CHECK(r.items[4].record.source_ratings.at(0) ==
        moviec::events::Rating{"imdb", 7.25, 1, 10, 12, 72.5});
}

TEST_CASE("imdb invalid UTF-8 and NUL bytes are rejected", "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "title.basics.tsv",
                      kBasicsHeader + basics_row("tt1", "Caf\xe9") +
                          basics_row("tt2", std::string("Nul\0l", 5)) +
                          basics_row("tt3", "Caf\xc3\xa9"));
  auto r = read_imdb({basics});
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0].record.title == "Caf\xc3\xa9");
  CHECK(reasons(r, "title.basics.tsv") ==
        std::vector<std::string>{"invalid UTF-8", "NUL byte in line"});
  CHECK(r.rejects[0].line == 2);
  CHECK(r.rejects[1].line == 3);
}

TEST_CASE("imdb a wrong header rejects the file at line 1 and reads nothing from it",
          "[sources][imdb]") {
  moviec::test::TempDir dir;
  SECTION("basics") {
    auto basics = write_file(dir, "title.basics.tsv",
                        "id\ttype\ttitle\n" + basics_row("tt1") + basics_row("tt2"));
    auto ratings = write_file(dir, "title.ratings.tsv", kRatingsHeader + "tt1\t5\t10\n");
    auto r = read_imdb({basics, ratings});
    CHECK(r.items.empty());
    REQUIRE(r.rejects.size() == 2);
    CHECK(r.rejects[0].file == "title.basics.tsv");
    CHECK(r.rejects[0].line == 1);
    CHECK_THAT(r.rejects[0].reason,
               Catch::StartsWith("unexpected header (expected tconst, titleType, primaryTitle"));
    CHECK(r.rejects[1].file == "title.ratings.tsv");
    CHECK(r.rejects[1].line == 0);
    CHECK(r.rejects[1].reason == "not read: title.basics.tsv is unusable");
  }
  SECTION("ratings") {
    auto basics = write_file(dir, "title.basics.tsv", kBasicsHeader + basics_row("tt1"));
    auto ratings = write_file(dir, "title.ratings.tsv", "tconst\tnumVotes\taverageRating\ntt1\t10\t5\n");
    auto r = read_imdb({basics, ratings});
    REQUIRE(r.items.size() == 1);
    CHECK(r.items[0].record.source_ratings.empty());
    REQUIRE(r.rejects.size() == 1);
    CHECK(r.rejects[0].line == 1);
    CHECK(r.rejects[0].reason ==
          "unexpected header (expected tconst, averageRating, numVotes); file not read");
  }
  SECTION("empty file") {
    auto basics = write_file(dir, "title.basics.tsv", "");
    auto r = read_imdb({basics});
    CHECK(r.items.empty());
    REQUIRE(r.rejects.size() == 1);
    CHECK_THAT(r.rejects[0].reason, Catch::StartsWith("empty file: no header line"));
  }
}

TEST_CASE("imdb CRLF files and a missing final newline read like LF files", "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto crlf = [](std::string s) {
    std::string out;
    for (char c : s) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return out;
  };
  auto basics_text = kBasicsHeader + basics_row("tt1", "One") + basics_row("tt2", "Two");
  basics_text.pop_back();  // no final newline
  auto basics = write_file(dir, "title.basics.tsv", crlf(basics_text));
  auto ratings = write_file(dir, "title.ratings.tsv", crlf(kRatingsHeader + "tt1\t5.0\t3\ntt2\t6.0\t4"));
  auto r = read_imdb({basics, ratings});
  CHECK(r.rejects.empty());
  REQUIRE(r.items.size() == 2);
  CHECK(r.items[1].record.title == "Two");
  CHECK(r.items[1].record.genres == std::vector<std::string>{"Drama"});
  CHECK(r.items[1].record.source_ratings.at(0).votes == 4);
  CHECK(r.items[1].input == "title.basics.tsv:3");
}

TEST_CASE("imdb an unsorted basics file is sorted in memory and joins every rating",
          "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "title.basics.tsv",
                      kBasicsHeader + basics_row("tt2") + basics_row("tt10") + basics_row("tt3") +
                          basics_row("tt4") + basics_row("tt11") + basics_row("tt11") +
                          basics_row("tt100"));
  auto ratings = write_file(dir, "title.ratings.tsv",
                       kRatingsHeader + "tt2\t2\t1\ntt3\t3\t1\ntt4\t4\t1\ntt10\t5\t1\ntt11\t6\t1\n");
  auto r = read_imdb({basics, ratings});
  std::vector<std::string> ids, inputs;
  for (auto& i : r.items) {
    ids.push_back(i.record.source_id);
    inputs.push_back(i.input);
    CHECK(i.record.source_ratings.size() == (i.record.source_id == "tt100" ? 0 : 1));
  }
  CHECK(ids == std::vector<std::string>{"tt2", "tt3", "tt4", "tt10", "tt11", "tt100"});
  // Each record still names its own line of the file.
  CHECK(inputs == std::vector<std::string>{"title.basics.tsv:2", "title.basics.tsv:4",
                                           "title.basics.tsv:5", "title.basics.tsv:3",
                                           "title.basics.tsv:6", "title.basics.tsv:8"});
  CHECK(r.find("tt4")->record.source_ratings.at(0).value == 4);
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].line == 7);
  CHECK(r.rejects[0].reason == "duplicate row for tt11 (first at line 6)");
  CHECK(r.bytes_read == r.bytes_total);
}

TEST_CASE("imdb an unsorted ratings file joins both ways, malformed lines are still rejected",
          "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "title.basics.tsv",
                      kBasicsHeader + basics_row("tt1") + basics_row("tt5") + basics_row("tt9"));
  auto ratings = write_file(dir, "title.ratings.tsv",
                       kRatingsHeader + "tt9\t9\t90\nbroken line\ntt1\t1.5\t10\ntt7\t7\t70\n" +
                           "tt5\t5\t50\ntt5\t5.5\t55\n");
  auto r = read_imdb({basics, ratings});
  REQUIRE(r.items.size() == 3);
  CHECK(r.items[0].record.source_ratings.at(0).value == 1.5);
  CHECK(r.items[1].record.source_ratings.at(0).value == 5);
  CHECK(r.items[2].record.source_ratings.at(0).value == 9);
  std::vector<std::pair<std::uint64_t, std::string>> got;
  for (auto& x : r.rejects) got.emplace_back(x.line, x.reason);
  CHECK(got == std::vector<std::pair<std::uint64_t, std::string>>{
                   {3, "expected 3 columns, got 1"},
                   {7, "duplicate row for tt5 (first at line 6)"},
                   {5, "no title.basics row for tt7 in this input"}});
}

TEST_CASE("imdb an unsorted file over max_unsorted_bytes is refused with one reject",
          "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "title.basics.tsv", kBasicsHeader + basics_row("tt1") + basics_row("tt2"));
  auto ratings_text = kRatingsHeader + "tt2\t2\t1\ntt1\t1\t1\n";
  auto ratings = write_file(dir, "title.ratings.tsv", ratings_text);
  auto r = read_imdb({basics, ratings}, imdb_source({{"max_unsorted_bytes", 10}}));
  REQUIRE(r.items.size() == 2);
  CHECK(r.items[0].record.source_ratings.empty());
  REQUIRE(r.rejects.size() == 1);
  CHECK(r.rejects[0].file == "title.ratings.tsv");
  CHECK(r.rejects[0].line == 0);
  CHECK(r.rejects[0].reason ==
        "not sorted by tconst and larger than max_unsorted_bytes (" +
            std::to_string(ratings_text.size()) +
            " bytes > 10); file not read: sort it by tconst first (keep the header line, then "
            "sort -t$'\\t' -k1,1V) or raise max_unsorted_bytes");
  CHECK(r.bytes_read == r.bytes_total);

  // The same bound on basics: nothing is read, and the other files say why.
  auto unsorted_basics =
      write_file(dir, "b2.basics.tsv", kBasicsHeader + basics_row("tt2") + basics_row("tt1"));
  auto refused = read_imdb({unsorted_basics, ratings}, imdb_source({{"max_unsorted_bytes", 10}}));
  CHECK(refused.items.empty());
  REQUIRE(refused.rejects.size() == 2);
  CHECK_THAT(refused.rejects[0].reason, Catch::StartsWith("not sorted by tconst and larger than"));
  CHECK(refused.rejects[1].reason == "not read: b2.basics.tsv is unusable");

  // A sorted file of any size streams whatever the bound.
  auto sorted = read_imdb({basics}, imdb_source({{"max_unsorted_bytes", 1}}));
  CHECK(sorted.items.size() == 2);
  CHECK(sorted.rejects.empty());
}

TEST_CASE("imdb ratings rows without a basics row are rejected, before and after",
          "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "title.basics.tsv", kBasicsHeader + basics_row("tt5") + basics_row("tt9"));
  auto ratings = write_file(dir, "title.ratings.tsv",
                       kRatingsHeader + "tt1\t5\t1\ntt5\t6\t2\ntt7\t7\t3\ntt9\t8\t4\ntt12\t9\t5\n");
  auto r = read_imdb({basics, ratings});
  REQUIRE(r.items.size() == 2);
  CHECK(r.items[0].record.source_ratings.at(0).value == 6);
  CHECK(r.items[1].record.source_ratings.at(0).value == 8);
  CHECK(reasons(r, "title.ratings.tsv") ==
        std::vector<std::string>{"no title.basics row for tt1 in this input",
                                 "no title.basics row for tt7 in this input",
                                 "no title.basics row for tt12 in this input"});
  CHECK(r.rejects[2].line == 6);
}

TEST_CASE("imdb akas are grouped by title into names", "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "title.basics.tsv",
                      kBasicsHeader + "tt1\tmovie\tThe Cat\tLe Chat\t0\t1971\t\\N\t86\tDrama\n" +
                          basics_row("tt2", "Solo"));
  auto akas = write_file(dir, "title.akas.tsv",
                    kAkasHeader + "tt1\t1\tThe Cat\tUS\ten\timdbDisplay\t\\N\t0\n" +
                        "tt1\t2\tLe Chat\t\\N\t\\N\toriginal\t\\N\t1\n" +
                        "tt1\t3\tDie Katze\tDE\tde\t\\N\t\\N\t0\n" +
                        "tt1\tx\tBad\tDE\t\\N\t\\N\t\\N\t0\n" + "tt3\t1\tNobody\tUS\t\\N\t\\N\t\\N\t0\n");
  auto r = read_imdb({basics, akas});
  REQUIRE(r.items.size() == 2);
  CHECK(r.items[0].record.names == std::vector<LocalizedName>{{"Le Chat", "", "", true},
                                                              {"The Cat", "US", "en", false},
                                                              {"Die Katze", "DE", "de", false}});
  CHECK(r.items[1].record.names.empty());
  CHECK(reasons(r, "title.akas.tsv") ==
        std::vector<std::string>{"ordering \"x\": not a whole number",
                                 "no title.basics row for tt3 in this input"});
}

TEST_CASE("imdb rejects beyond max_rejects_per_file are counted in one summary",
          "[sources][imdb]") {
  moviec::test::TempDir dir;
  std::string text = kBasicsHeader;
  for (int i = 1; i <= 10; ++i) text += "tt" + std::to_string(i) + "\tbroken\n";
  text += basics_row("tt20");
  auto r = read_imdb({write_file(dir, "title.basics.tsv", text)},
                     imdb_source({{"max_rejects_per_file", 3}}));
  CHECK(r.items.size() == 1);
  REQUIRE(r.rejects.size() == 4);
  CHECK(r.rejects[2].line == 4);
  CHECK(r.rejects[3].line == 0);
  CHECK(r.rejects[3].reason ==
        "7 more malformed rows not listed (10 in all; max_rejects_per_file is 3)");
}

TEST_CASE("imdb a large input streams through", "[sources][imdb]") {
  moviec::test::TempDir dir;
  const int n = 100000;
  {
    std::ofstream b(dir / "title.basics.tsv", std::ios::binary);
    std::ofstream r(dir / "title.ratings.tsv", std::ios::binary);
    b << kBasicsHeader;
    r << kRatingsHeader;
    for (int i = 1; i <= n; ++i) {
      b << "tt" << i << "\tmovie\tFilm " << i << "\tFilm " << i << "\t0\t2000\t\\N\t90\tDrama\n";
      if (i % 2 == 0) r << "tt" << i << "\t" << (i % 9) + 1 << ".5\t" << i << "\n";
    }
  }
  // A bound of 1 byte: were the sortedness check to misread a line across its
  // 1 MiB chunks, the file would be refused and the counts below would fail.
  auto reader = open_reader(imdb_source({{"max_unsorted_bytes", 1}}),
                            {(dir / "title.basics.tsv").string(), (dir / "title.ratings.tsv").string()});
  REQUIRE(reader.is_ok());
  Item item;
  std::vector<Reject> rejects;
  int count = 0, rated = 0;
  while ((*reader)->next(item, rejects)) {
    ++count;
    rated += item.record.source_ratings.empty() ? 0 : 1;
    CHECK(rejects.empty());
    REQUIRE((*reader)->bytes_read() <= (*reader)->bytes_total());
  }
  CHECK(count == n);
  CHECK(rated == n / 2);
  CHECK((*reader)->bytes_read() == (*reader)->bytes_total());
}

// --- open_reader -------------------------------------------------------------------

TEST_CASE("open_reader names an unknown format", "[sources]") {
  SourceConfig s;
  s.name = "x";
  s.format = "xml_feed";
  auto r = open_reader(s, {});
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == moviec::Status::Code::invalid_argument);
  // The list grows as formats are added; it starts with the first one.
  CHECK_THAT(r.status().message(),
             Catch::StartsWith("source \"x\": unknown format \"xml_feed\" (known formats: \"imdb_tsv\", "));
}

TEST_CASE("open_reader names an unrecognised or unreadable file", "[sources]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "title.basics.tsv", kBasicsHeader);
  auto other = write_file(dir, "movies.csv", "x");
  auto r = open_reader(imdb_source(), {basics, other});
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == moviec::Status::Code::invalid_argument);
  CHECK_THAT(r.status().message(), Catch::StartsWith(other + ": not an IMDb file"));

  auto missing = (dir / "title.ratings.tsv").string();
  auto m = open_reader(imdb_source(), {basics, missing});
  REQUIRE_FALSE(m.is_ok());
  CHECK(m.status().code() == moviec::Status::Code::invalid_argument);
  CHECK(m.status().message() == missing + ": no such file");

  auto twice = open_reader(imdb_source(), {basics, basics});
  REQUIRE_FALSE(twice.is_ok());
  CHECK_THAT(twice.status().message(), Catch::Contains("two files of one kind"));

  auto none = open_reader(imdb_source(), {});
  REQUIRE_FALSE(none.is_ok());
  CHECK_THAT(none.status().message(), Catch::Contains("needs a title.basics.tsv file"));
}

TEST_CASE("open_reader recognises renamed IMDb files by basics, ratings and akas",
          "[sources]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "2024-basics.tsv", kBasicsHeader + basics_row("tt1"));
  auto ratings = write_file(dir, "ratings_daily.tsv", kRatingsHeader + "tt1\t8\t100\n");
  auto r = read_imdb({ratings, basics});
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0].input == "2024-basics.tsv:2");
  CHECK(r.items[0].record.source_ratings.at(0).normalized == 80);
}

TEST_CASE("imdb ids compare numerically", "[sources]") {
  using moviec::sources::imdb_id_less;
  CHECK(imdb_id_less("tt9", "tt10"));
  CHECK(imdb_id_less("tt0000009", "tt0000010"));
  CHECK_FALSE(imdb_id_less("tt10", "tt9"));
  CHECK_FALSE(imdb_id_less("tt5", "tt5"));
  CHECK(moviec::sources::is_imdb_id("tt0000001"));
  CHECK_FALSE(moviec::sources::is_imdb_id("tt"));
  CHECK_FALSE(moviec::sources::is_imdb_id("nm1"));
}

TEST_CASE("imdb values of one row never carry over to the next", "[sources][imdb]") {
  moviec::test::TempDir dir;
  auto basics = write_file(dir, "title.basics.tsv",
                      kBasicsHeader + "tt1\ttvSeries\tA\tB\t1\t1990\t1995\t45\tDrama\n" +
                          "tt2\t\\N\tC\tC\t\\N\t\\N\t\\N\t\\N\t\\N\n");
  auto akas = write_file(dir, "title.akas.tsv", kAkasHeader + "tt1\t1\tAa\tUS\ten\t\\N\t\\N\t1\n");
  auto r = read_imdb({basics, akas});
  REQUIRE(r.items.size() == 2);
  const auto& rec = r.items[1].record;
  CHECK(rec.title == "C");
  CHECK_FALSE(rec.year.has_value());
  CHECK_FALSE(rec.runtime_minutes.has_value());
  CHECK(rec.genres.empty());
  CHECK(rec.names.empty());
  CHECK(rec.source_ratings.empty());
  CHECK(rec.metadata.empty());
  CHECK(r.items[0].record.metadata ==
        std::map<std::string, std::string>{{"title_type", "tvSeries"}, {"is_adult", "1"},
                                           {"end_year", "1995"}});
  CHECK(r.items[0].record.names ==
        std::vector<LocalizedName>{{"B", "", "", true}, {"Aa", "US", "en", true}});
}
