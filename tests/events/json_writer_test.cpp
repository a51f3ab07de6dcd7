// events::JsonWriter (events/json_writer.hpp) writes the bytes nlohmann's dump() writes.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "events/json_writer.hpp"

using nlohmann::json;
using moviec::events::JsonWriter;

TEST_CASE("any JSON value is written as dump() writes it", "[events][json_writer]") {
  json deep = json::array();
  json* at = &deep;
  for (int i = 0; i < 40; ++i) {  // deeper than the writer goes itself
    at->push_back(json::object({{"level", i}, {"next", json::array()}}));
    at = &(*at)[0]["next"];
  }
  const json values[] = {
      nullptr,
      true,
      false,
      0,
      -1,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::uint64_t>::max(),
      0.1 + 0.2,
      1500.0,
      -0.0,
      1e300,
      -1.5e-300,
      std::nan(""),
      std::numeric_limits<double>::infinity(),
      "",
      "plain ascii",
      "Ação, Карменсита, 東京, 🎬",
      "quote \" backslash \\ slash / tab \t newline \n del \x7f bell \x01",
      json::array(),
      json::object(),
      json::array({1, "two", 3.5, nullptr, json::array({json::object()})}),
      json{{"title", "Carmencita"}, {"year", 1894}, {"k\"ey\n", "v"}, {"Ä", {1, 2}}, {"a", nullptr}},
      json::parse(R"([{"movie_id":"tt1","confidence":0.93,"why":{"title":1.0,"year":0.5,"names":["x"]}}])"),
      deep,
  };
  for (const auto& v : values) {
    INFO(v.dump());
    CHECK(moviec::events::dump(v) == v.dump());
  }
  // Inside a document, after other members.
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.member("a", 1);
  w.member("b", values[21]);
  w.member("c", deep);
  w.end_object();
  CHECK(w.finish() == json{{"a", 1}, {"b", values[21]}, {"c", deep}}.dump());
}

TEST_CASE("a string that is not UTF-8 is refused as dump() refuses it", "[events][json_writer]") {
  json bad = std::string("\xff\xfe");
  CHECK_THROWS_AS(bad.dump(), json::type_error);
  CHECK_THROWS_AS(moviec::events::dump(bad), json::type_error);
}
