// RFC 3339 times (events/timestamp.hpp): what `?as_of=` accepts and answers show.

#include <catch2/catch.hpp>

#include "events/timestamp.hpp"

using namespace moviec::events;

TEST_CASE("format_utc writes UTC with milliseconds", "[events][timestamp]") {
  CHECK(format_utc(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_utc(1795567681836) == "2026-11-25T00:48:01.836Z");
  CHECK(format_utc(951782400000) == "2000-02-29T00:00:00.000Z");
  CHECK(format_utc(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("parse_utc reads what format_utc writes", "[events][timestamp]") {
  for (std::int64_t ms : {0LL, 1LL, 999LL, 951782400000LL, 1795567681836LL, 4102444799999LL}) {
    INFO(ms);
    CHECK(parse_utc(format_utc(ms)) == ms);
  }
}

TEST_CASE("parse_utc accepts the RFC 3339 forms people type", "[events][timestamp]") {
  const std::int64_t t = 1795514400000;  // 2026-11-24T10:00:00Z
  CHECK(parse_utc("2026-11-24T10:00:00Z") == t);
  CHECK(parse_utc("2026-11-24t10:00:00z") == t);
  CHECK(parse_utc("2026-11-24 10:00:00Z") == t);
  CHECK(parse_utc("2026-11-24T12:00:00+02:00") == t);
  CHECK(parse_utc("2026-11-24T05:30:00-04:30") == t);
  CHECK(parse_utc("2026-11-24T10:00:00.5Z") == t + 500);
  CHECK(parse_utc("2026-11-24T10:00:00.123456789Z") == t + 123);
  CHECK(parse_utc("2026-11-24") == t - 10 * 3600 * 1000);
}

TEST_CASE("parse_utc rejects malformed and impossible times", "[events][timestamp]") {
  for (const char* bad : {"", "now", "2026", "2026-11", "2026-13-01", "2026-02-30", "2026-11-24T",
                          "2026-11-24T10:00Z", "2026-11-24T10:00:00", "2026-11-24T24:00:00Z",
                          "2026-11-24T10:00:00.Z", "2026-11-24T10:00:00.1234567890Z",
                          "2026-11-24T10:00:00+0200", "2026-11-24T10:00:00Z ", "1969-12-31",
                          "12345", "2026-11-24T10:00:00ZZ"}) {
    INFO(bad);
    CHECK_FALSE(parse_utc(bad));
  }
}
