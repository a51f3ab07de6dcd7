// The asset bucket on disk (store/assets.hpp): content addressing by SHA-256,
// durable writes that leave no temp file, ranges, and bytes changed on disk found
// by the hash check instead of being served.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

#include "store/assets.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using moviec::test::TempDir;
namespace fs = std::filesystem;

TEST_CASE("a blob is stored under the SHA-256 of its bytes, once", "[store][assets]") {
  TempDir dir;
  store::AssetBucket bucket(dir.path());
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  CHECK(store::sha256_hex("abc") == abc);

  auto first = bucket.put("abc", "image/png");
  REQUIRE(first);
  CHECK(first->sha256 == abc);
  CHECK(first->size == 3);
  CHECK(first->created);
  CHECK(fs::is_regular_file(dir / ("assets/ba/" + abc)));
  CHECK(fs::is_regular_file(dir / ("assets/ba/" + abc + ".type")));
  CHECK(fs::is_empty(dir / "assets/tmp"));  // every temp file was renamed into place

  auto again = bucket.put("abc", "image/jpeg");  // same bytes: the first type stays
  REQUIRE(again);
  CHECK_FALSE(again->created);
  CHECK(again->content_type == "image/png");

  auto info = bucket.info(abc);
  REQUIRE(info);
  CHECK(info->content_type == "image/png");
  CHECK(info->size == 3);
  CHECK(bucket.contains(abc));
  CHECK(bucket.check(abc).is_ok());
  CHECK(*bucket.read(abc, 0, 3) == "abc");
  CHECK(*bucket.read(abc, 1, 100) == "bc");  // clipped at the end

  const std::string none(64, '0');
  CHECK(bucket.info(none).status().code() == Status::Code::not_found);
  CHECK(bucket.read(none, 0, 1).status().code() == Status::Code::not_found);
  CHECK_FALSE(bucket.contains(none));
  CHECK(bucket.info("../../etc/passwd").status().code() == Status::Code::invalid_argument);
  CHECK_FALSE(bucket.contains("ABC"));
}

TEST_CASE("bytes changed on disk are corruption, never served", "[store][assets]") {
  TempDir dir;
  store::AssetBucket bucket(dir.path());
  auto a = bucket.put("poster bytes", "image/png");
  REQUIRE(a);
  REQUIRE(bucket.read(a->sha256, 0, 100));  // verified and remembered
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a new mtime
  {
    std::ofstream out(dir / ("assets/" + a->sha256.substr(0, 2) + "/" + a->sha256),
                      std::ios::binary | std::ios::trunc);
    out << "poster bytez";
  }
  auto read = bucket.read(a->sha256, 0, 100);
  CHECK(read.status().code() == Status::Code::corruption);
  CHECK(bucket.check(a->sha256).code() == Status::Code::corruption);
}

TEST_CASE("a file is stored whole within the size limit", "[store][assets]") {
  TempDir dir;
  store::AssetBucket bucket(dir / "data");
  {
    std::ofstream out(dir / "poster.png", std::ios::binary);
    out << std::string(1000, 'x');
  }
  CHECK(bucket.put_file(dir / "poster.png", "image/png", 999).status().code() ==
        Status::Code::invalid_argument);
  auto stored = bucket.put_file(dir / "poster.png", "image/png", 1000);
  REQUIRE(stored);
  CHECK(stored->sha256 == store::sha256_hex(std::string(1000, 'x')));
  CHECK(bucket.put_file(dir / "missing.png", "image/png", 1000).status().code() == Status::Code::not_found);
  CHECK(bucket.put_file(dir.path(), "image/png", 1000).status().code() == Status::Code::invalid_argument);
}

TEST_CASE("addresses, types and extensions", "[store][assets]") {
  const std::string sha(64, 'a');
  CHECK(store::asset_address(sha) == "/assets/" + sha);
  CHECK(store::asset_sha_of("/assets/" + sha) == sha);
  CHECK_FALSE(store::asset_sha_of("/assets/" + sha + "/x"));
  CHECK_FALSE(store::asset_sha_of("https://example.org/assets/" + sha));
  CHECK_FALSE(store::asset_sha_of("/assets/" + std::string(64, 'A')));
  CHECK(store::is_asset_type("image/png"));
  CHECK(store::is_asset_type("Video/WebM; codecs=vp8"));
  CHECK_FALSE(store::is_asset_type("image/"));
  CHECK_FALSE(store::is_asset_type("text/html"));
  CHECK_FALSE(store::is_asset_type("application/json"));
  CHECK_FALSE(store::is_asset_type(""));
  CHECK(store::asset_type_for_name("a/Poster.PNG") == "image/png");
  CHECK(store::asset_type_for_name("t.webm") == "video/webm");
  CHECK(store::asset_type_for_name("t.mp4") == "video/mp4");
  CHECK_FALSE(store::asset_type_for_name("notes.txt"));
  CHECK_FALSE(store::asset_type_for_name("png"));
}
