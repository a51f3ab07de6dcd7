#include "sources/normalize.hpp"

#include <catch2/catch.hpp>

using namespace moviec::sources;

TEST_CASE("null markers are \\N, N/A and empty", "[sources][normalize]") {
  CHECK(is_null("\\N"));
  CHECK(is_null("N/A"));
  CHECK(is_null(""));
  CHECK(is_null("  "));
  CHECK_FALSE(is_null("0"));
  CHECK_FALSE(is_null("N"));
  CHECK_FALSE(is_null("n/a movie"));
}

TEST_CASE("titles are trimmed and null markers become empty", "[sources][normalize]") {
  CHECK(clean_title("  Carmencita \t") == "Carmencita");
  CHECK(clean_title("\\N").empty());
  CHECK(clean_title("Le clown et ses chiens") == "Le clown et ses chiens");
  CHECK(trim(" a b ") == "a b");
}

TEST_CASE("whole numbers parse strictly", "[sources][normalize]") {
  CHECK(*parse_int("1894") == 1894);
  CHECK(*parse_int("-3") == -3);
  CHECK(*parse_int("007") == 7);
  CHECK(parse_int("").status().message() == "empty");
  for (auto bad : {"12a", " 12", "12 ", "+1", "1.5", "1e3", "abc", "\\N", "-"})
    CHECK(parse_int(bad).status().message() == "not a whole number");
  CHECK(parse_int("99999999999999999999").status().message() == "out of range");
  CHECK(parse_int("x").status().code() == moviec::Status::Code::invalid_argument);
}

TEST_CASE("decimal numbers parse strictly", "[sources][normalize]") {
  CHECK(*parse_float("5.7") == Approx(5.7));
  CHECK(*parse_float("10") == 10.0);
  CHECK(*parse_float("-0.5") == -0.5);
  CHECK(*parse_float("1e1") == 10.0);
  CHECK(parse_float("").status().message() == "empty");
  for (auto bad : {"5,7", " 5.7", "5.7 ", "+5", "abc", "5.7.1", "\\N", ".", "-"})
    CHECK(parse_float(bad).status().message() == "not a number");
  for (auto bad : {"nan", "inf", "infinity"})
    CHECK(parse_float(bad).status().message() == "not a number");
  CHECK(parse_float("1e999").status().message() == "not a finite number");
}

TEST_CASE("ratings normalize to 0-100 rounded to 2 decimals", "[sources][normalize]") {
  CHECK(normalize_rating(5.7, 10) == 57.0);
  CHECK(normalize_rating(3.5, 5) == 70.0);
  CHECK(normalize_rating(2, 3) == 66.67);
  CHECK(normalize_rating(7.25, 10) == 72.5);
  CHECK(normalize_rating(1, 0) == 0.0);
  auto r = make_rating("imdb", 5.7, 1, 10, 2150);
  CHECK(r.name == "imdb");
  CHECK(r.value == 5.7);
  CHECK(r.scale_min == 1);
  CHECK(r.scale_max == 10);
  CHECK(r.votes == 2150);
  CHECK(r.normalized == 57.0);
}

TEST_CASE("lists split, trim and drop empty items", "[sources][normalize]") {
  CHECK(split_list("Documentary,Short", ',') == std::vector<std::string>{"Documentary", "Short"});
  CHECK(split_list(" Drama , ,War,", ',') == std::vector<std::string>{"Drama", "War"});
  CHECK(split_list("\\N", ',').empty());
  CHECK(split_list("", ',').empty());
  CHECK(split_list("Comedy", ',') == std::vector<std::string>{"Comedy"});
}
