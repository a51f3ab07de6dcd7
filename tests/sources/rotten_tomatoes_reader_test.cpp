#include "sources/rotten_tomatoes_reader.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sources/record_reader.hpp"
#include "support/read_all.hpp"
#include "support/temp_dir.hpp"

using moviec::config::SourceConfig;
using moviec::events::LocalizedName;
using moviec::events::Rating;
using moviec::sources::open_reader;
using moviec::sources::Reject;
using moviec::test::write_file;

namespace {

SourceConfig rt_source(nlohmann::json options = nlohmann::json::object()) {
  return moviec::test::source_config("rotten_tomatoes", "rotten_tomatoes_csv", std::move(options));
}

struct RtResult : moviec::test::ReadResult {
  std::vector<std::string> reasons() const {
    std::vector<std::string> out;
    for (auto& r : rejects) out.push_back(r.file + ":" + std::to_string(r.line) + ": " + r.reason);
    return out;
  }
};

RtResult read_rt(const std::vector<std::string>& files, const SourceConfig& source = rt_source()) {
  return moviec::test::read_all<RtResult>(source, files);
}

// The 2019 export's header, as in the subset under ../shared/data.
const std::string k2019 =
    "movie_title,rating,genre,in_theaters_date,on_streaming_date,runtime_in_minutes,"
    "tomatometer_status,tomatometer_rating,tomatometer_count,audience_status,audience_rating,"
    "audience_count,audience_top_critics_count,audience_fresh_critics_count,"
    "audience_rotten_critics_count\n";

std::string row2019(const std::string& title, const std::string& date = "1999-05-01",
                    const std::string& tomatometer = "83", const std::string& audience = "86",
                    const std::string& runtime = "99", const std::string& streaming = "2003-10-07") {
  return title + ",PG," + "\"Comedy, Drama\"," + date + "," + streaming + "," + runtime + ",Fresh," +
         tomatometer + ",29,Upright," + audience + ",71084,6,24,5\n";
}

}  // namespace

// --- the real file -----------------------------------------------------------------

TEST_CASE("rotten tomatoes subset: every row is a record, mojibake repaired, ratings on 0-100",
          "[sources][rotten_tomatoes][shared]") {
  if (!moviec::test::have_shared_data()) {
    WARN("shared data not found; skipping");
    return;
  }
  auto file = moviec::test::shared_data() / "rotten-tomatoes-kaggle-subset" / "rotten_tomatoes_movies.csv";
  auto r = read_rt({file.string()});
  for (auto& x : r.rejects) INFO(x.file << ":" << x.line << ": " << x.reason);
  CHECK(r.rejects.empty());
  REQUIRE(r.items.size() == 5511);
  CHECK(r.bytes_read == r.bytes_total);
  CHECK(r.bytes_total == 656327);

  std::size_t repaired = 0, with_runtime = 0;
  for (auto& i : r.items) {
    INFO(i.input);
    CHECK(i.record.movie_id.empty());  // matching resolves it
    CHECK(i.record.source_ratings.size() == 2);
    CHECK(i.record.registration_date.size() == 10);
    CHECK(i.record.year.has_value());
    CHECK(i.record.title.find("√") == std::string::npos);
    repaired += i.record.metadata.count("title_repaired_from");
    with_runtime += i.record.runtime_minutes.has_value();
  }
  CHECK(repaired == 30);
  CHECK(with_runtime == 5511 - 21);  // 21 rows have no runtime

  // Line 2, checked column by column against the file.
  const auto& first = r.items.front();
  CHECK(first.input == "rotten_tomatoes_movies.csv:2");
  const auto& job = first.record;
  CHECK(job.source == "rotten_tomatoes");
  CHECK(job.source_id == "The Italian Job (1969-01-01)");
  CHECK(job.title == "The Italian Job");
  CHECK(job.registration_date == "1969-01-01");
  CHECK(job.year == 1969);
  CHECK(job.runtime_minutes == 99);
  CHECK(job.genres == std::vector<std::string>{"Action & Adventure", "Classics", "Comedy", "Drama",
                                               "Mystery & Suspense"});
  CHECK(job.source_ratings == std::vector<Rating>{{"tomatometer", 83, 0, 100, 29, 83},
                                                  {"audience", 86, 0, 100, 71084, 86}});
  CHECK(job.metadata == std::map<std::string, std::string>{
                            {"content_rating", "G"},
                            {"on_streaming_date", "2003-10-07"},
                            {"tomatometer_status", "Fresh"},
                            {"audience_status", "Upright"},
                            {"audience_top_critics_count", "6"},
                            {"audience_fresh_critics_count", "24"},
                            {"audience_rotten_critics_count", "5"}});
  CHECK(job.external_ids.empty());

  // The 2003 remake has the same title and another id.
  auto* remake = r.find("The Italian Job (2003-05-30)");
  REQUIRE(remake != nullptr);
  CHECK(remake->input == "rotten_tomatoes_movies.csv:2340");
  CHECK(remake->record.source_ratings.at(1).votes == 567598);

  // Line 49: mojibake repaired, bracketed alternates as names.
  auto* duck = r.find("Duck, You Sucker (A Fistful of Dynamite) (Gi√π la testa) (1972-06-01)");
  REQUIRE(duck != nullptr);
  CHECK(duck->input == "rotten_tomatoes_movies.csv:49");
  CHECK(duck->record.title == "Duck, You Sucker");
  CHECK(duck->record.names == std::vector<LocalizedName>{{"A Fistful of Dynamite", "", "", false},
                                                          {"Giù la testa", "", "", false}});
  CHECK(duck->record.metadata.at("title_repaired_from") ==
        "Duck, You Sucker (A Fistful of Dynamite) (Gi√π la testa)");

  // A bracket that starts with a year stays in the title.
  CHECK(r.find("Ghostbusters (1984 Original) (1984-06-08)")->record.title == "Ghostbusters (1984 Original)");
  // A quoted title with a comma (line 11).
  CHECK(r.find("Hello, Dolly! (1969-12-16)")->input == "rotten_tomatoes_movies.csv:11");
  // The last row has no final newline and still counts.
  CHECK(r.items.back().input == "rotten_tomatoes_movies.csv:5512");
  CHECK(r.items.back().record.title == "The House of the Devil");
}

// --- small files, one rule at a time ---------------------------------------------------

TEST_CASE("rotten tomatoes impossible and future dates are rejected with the reason",
          "[sources][rotten_tomatoes]") {
  moviec::test::TempDir dir;
  auto file = write_file(dir, "rt.csv",
                    k2019 + row2019("Good") + row2019("Feb 30", "1999-02-30") +
                        row2019("Future", "2131-01-01") + row2019("Bad Month", "1999-13-01") +
                        row2019("Not A Date", "someday") + row2019("Late Stream", "1999-05-01", "83", "86", "99", "2130-01-01") +
                        row2019("Month Name", "Jun 12 1998"));
  auto r = read_rt({file}, rt_source());
  REQUIRE(r.items.size() == 2);
  CHECK(r.items[1].record.registration_date == "1998-06-12");
  CHECK(r.reasons() ==
        std::vector<std::string>{
            "rt.csv:3: in_theaters_date \"1999-02-30\": February 1999 has 28 days, not 30",
            "rt.csv:4: in_theaters_date 2131-01-01 is in the future (today is " +
                moviec::sources::today_utc().iso() + ")",
            "rt.csv:5: in_theaters_date \"1999-13-01\": month 13 is not 1-12",
            "rt.csv:6: in_theaters_date \"someday\": not a date (expected one of %Y-%m-%d, %Y-%m, %Y, "
            "%b %d %Y, %b %d, %Y, %d %b %Y, %B %d, %Y)",
            "rt.csv:7: on_streaming_date 2130-01-01 is in the future (today is " +
                moviec::sources::today_utc().iso() + ")"});
  CHECK(r.rejects[1].source_id == "Future (2131-01-01)");
}

TEST_CASE("rotten tomatoes ratings outside 0-100 and bad counts are rejected, empty ones are none",
          "[sources][rotten_tomatoes]") {
  moviec::test::TempDir dir;
  auto file = write_file(dir, "rt.csv",
                    k2019 + row2019("Too High", "1999-01-01", "150") + row2019("Negative", "1999-01-02", "-1") +
                        row2019("Word", "1999-01-03", "fresh") + row2019("No Audience", "1999-01-04", "50", "") +
                        "Bad Count,R,Drama,1999-01-05,2000-01-01,90,Fresh,50,many,Upright,60,10,1,1,1\n" +
                        row2019("Zero Runtime", "1999-01-06", "0", "0", "0"));
  auto r = read_rt({file});
  CHECK(r.reasons() == std::vector<std::string>{"rt.csv:2: tomatometer_rating 150: out of range 0..100",
                                                "rt.csv:3: tomatometer_rating -1: out of range 0..100",
                                                "rt.csv:4: tomatometer_rating \"fresh\": not a number",
                                                "rt.csv:6: tomatometer_count \"many\": not a whole number"});
  REQUIRE(r.items.size() == 2);
  CHECK(r.items[0].record.source_ratings ==
        std::vector<Rating>{{"tomatometer", 50, 0, 100, 29, 50}});
  // 0 is a rating (0% fresh), but a runtime of 0 means unknown by default.
  CHECK(r.items[1].record.source_ratings.size() == 2);
  CHECK(r.items[1].record.source_ratings[0].value == 0);
  CHECK_FALSE(r.items[1].record.runtime_minutes.has_value());
}

TEST_CASE("rotten tomatoes zero_means_missing names the columns where 0 is no value",
          "[sources][rotten_tomatoes]") {
  moviec::test::TempDir dir;
  auto file = write_file(dir, "rt.csv", k2019 + row2019("Zero", "1999-01-06", "0", "0", "0"));
  auto r = read_rt({file}, rt_source({{"zero_means_missing", {"audience_rating", "runtime_in_minutes"}}}));
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0].record.source_ratings == std::vector<Rating>{{"tomatometer", 0, 0, 100, 29, 0}});
  CHECK_FALSE(r.items[0].record.runtime_minutes.has_value());
  CHECK(r.reasons().empty());
  // The option replaces the default list: without it, a runtime of 0 is out of range.
  auto strict = read_rt({file}, rt_source({{"zero_means_missing", nlohmann::json::array()}}));
  CHECK(strict.reasons() ==
        std::vector<std::string>{"rt.csv:2: runtime_in_minutes 0: out of range 1..100000"});
  auto unknown = open_reader(rt_source({{"zero_means_missing", {"popcorn"}}}), {file});
  REQUIRE_FALSE(unknown.is_ok());
  CHECK(unknown.status().message() ==
        "source \"rotten_tomatoes\": options.zero_means_missing: \"popcorn\" is not a column of "
        "format rotten_tomatoes_csv");
}

TEST_CASE("rotten tomatoes 2020 export: columns by name, rotten_tomatoes_link as the id",
          "[sources][rotten_tomatoes]") {
  moviec::test::TempDir dir;
  auto file = write_file(
      dir, "rotten_tomatoes_movies.csv",
      "\xEF\xBB\xBFrotten_tomatoes_link,movie_title,movie_info,critics_consensus,content_rating,genres,"
      "directors,authors,actors,original_release_date,streaming_release_date,runtime,"
      "production_company,tomatometer_status,tomatometer_rating,tomatometer_count,audience_status,"
      "audience_rating,audience_count,tomatometer_top_critics_count,tomatometer_fresh_critics_count,"
      "tomatometer_rotten_critics_count\r\n"
      "m/0814255,Percy Jackson & the Olympians: The Lightning Thief,\"Always trouble-prone, "
      "the life of teenager Percy Jackson (Logan Lerman) gets a lot more complicated\nwhen he learns "
      "he's the son of the Greek god Poseidon.\",\"Though it may seem like just another Harry Potter "
      "knockoff, Percy Jackson benefits from a strong supporting cast.\",PG,\"Action & Adventure, "
      "Comedy, Drama, Science Fiction & Fantasy\",Chris Columbus,\"Craig Titley, Chris Columbus, Rick "
      "Riordan\",\"Logan Lerman, Brandon T. Jackson\",2010-02-12,2015-11-25,119,20th Century Fox,"
      "Rotten,49,149,Spilled,53,254421,43,73,76\r\n"
      "m/0878835,Please Give,,,R,Comedy,Nicole Holofcener,,,2010-04-30,2010-10-19,90,,"
      "Certified Fresh,87,142,Upright,64,11574,44,123,19\r\n"
      "m/0814255,Percy Again,,,PG,Comedy,,,,2010-02-12,,,,,,,,,,,,");
  auto r = read_rt({file});
  REQUIRE(r.items.size() == 2);
  const auto& percy = r.items[0].record;
  CHECK(r.items[0].input == "rotten_tomatoes_movies.csv:2");
  CHECK(percy.source_id == "m/0814255");
  CHECK(percy.external_ids == std::map<std::string, std::string>{{"rotten_tomatoes", "m/0814255"}});
  CHECK(percy.title == "Percy Jackson & the Olympians: The Lightning Thief");
  CHECK(percy.registration_date == "2010-02-12");
  CHECK(percy.runtime_minutes == 119);
  CHECK(percy.genres.size() == 4);
  CHECK(percy.metadata.at("content_rating") == "PG");
  CHECK(percy.metadata.at("directors") == "Chris Columbus");
  CHECK(percy.metadata.at("writers") == "Craig Titley, Chris Columbus, Rick Riordan");
  CHECK(percy.metadata.at("cast") == "Logan Lerman, Brandon T. Jackson");
  CHECK(percy.metadata.at("studio") == "20th Century Fox");
  CHECK(percy.metadata.at("tomatometer_fresh_critics_count") == "73");
  CHECK(percy.metadata.at("on_streaming_date") == "2015-11-25");
  CHECK(percy.metadata.count("movie_info") == 0);
  CHECK(percy.source_ratings.at(1) == Rating{"audience", 53, 0, 100, 254421, 53});
  // The description spans two lines: the next record starts on line 4.
  CHECK(r.items[1].input == "rotten_tomatoes_movies.csv:4");
  CHECK(r.reasons() ==
        std::vector<std::string>{"rotten_tomatoes_movies.csv:5: duplicate row for m/0814255 (first at line 2)"});
}

TEST_CASE("rotten tomatoes malformed rows and headers are rejected with file and line",
          "[sources][rotten_tomatoes]") {
  moviec::test::TempDir dir;
  auto file = write_file(dir, "rt.csv",
                    k2019 + row2019("Fine") + "Short,Row\n" + row2019("Caf\xE9 Latin-1") + row2019("\"\"") +
                        row2019("Fine") + row2019("Fine", "") + "\"Unclosed,PG\n");
  auto r = read_rt({file});
  REQUIRE(r.items.size() == 1);
  CHECK(r.reasons() ==
        std::vector<std::string>{
            "rt.csv:3: expected 15 columns, got 2", "rt.csv:4: movie_title: invalid UTF-8 at byte 3",
            "rt.csv:5: movie_title: empty", "rt.csv:6: duplicate row for Fine (1999-05-01) (first at line 2)",
            "rt.csv:7: no rotten_tomatoes_link and no in_theaters_date: the row cannot be identified",
            "rt.csv:8: quoted field opened at line 8 is not closed at the end of the file"});

  auto no_title = write_file(dir, "no_title.csv", "title,in_theaters_date\nX,1999-01-01\n");
  auto no_id = write_file(dir, "no_id.csv", "movie_title,genre\nX,Drama\n");
  auto empty = write_file(dir, "empty.csv", "");
  auto both = read_rt({no_title, no_id, empty, file});
  CHECK(both.items.size() == 1);  // the good file still goes through
  CHECK(both.reasons().at(0) == "no_title.csv:1: no movie_title column; file not read");
  CHECK(both.reasons().at(1) ==
        "no_id.csv:1: neither rotten_tomatoes_link nor in_theaters_date: rows cannot be identified; "
        "file not read");
  CHECK(both.reasons().at(2) == "empty.csv:1: empty file: no header line");
  CHECK(both.bytes_read == both.bytes_total);
}

TEST_CASE("rotten tomatoes options are checked and a missing file is named", "[sources][rotten_tomatoes]") {
  auto bad = open_reader(rt_source({{"zero_means_missing", "runtime"}}), {"/nonexistent.csv"});
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().message() ==
        "source \"rotten_tomatoes\": options.zero_means_missing: expected an array of column names");
  auto missing = open_reader(rt_source(), {"/nonexistent/rt.csv"});
  REQUIRE_FALSE(missing.is_ok());
  CHECK_THAT(missing.status().message(), Catch::StartsWith("/nonexistent/rt.csv: cannot open"));
  auto none = open_reader(rt_source(), {});
  REQUIRE_FALSE(none.is_ok());
  CHECK(none.status().message() ==
        "source \"rotten_tomatoes\": a rotten_tomatoes_csv input needs at least one CSV file");
}
