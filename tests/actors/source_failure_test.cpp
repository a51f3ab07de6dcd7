// A source run whose reader throws, or whose matcher stops, ends at once, failed
// with the reason: the requester never waits out a request timeout.

#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>

#include "actors/runtime.hpp"
#include "actors/source.hpp"
#include "support/actor_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace moviec;
using moviec::test::TempDir;
using moviec::test::test_config;

namespace {

/// One good record, then an exception, as a reader with a bug would.
class ThrowingReader : public sources::RecordReader {
 public:
  bool next(sources::Item& out, std::vector<sources::Reject>&) override {
    if (calls_++ == 0) {
      out.record.source = "imdb";
      out.record.source_id = "tt0000001";
      out.record.movie_id = "tt0000001";
      out.record.title = "Before the throw";
      out.input = "memory:1";
      return true;
    }
    throw std::out_of_range("reader bug");
  }
  std::uint64_t bytes_read() const override { return calls_; }
  std::uint64_t bytes_total() const override { return 2; }

 private:
  int calls_ = 0;
};

/// One record, then the end of the input.
class OneRecordReader : public sources::RecordReader {
 public:
  bool next(sources::Item& out, std::vector<sources::Reject>&) override {
    if (done_) return false;
    done_ = true;
    out.record.source = "imdb";
    out.record.source_id = "tt0000002";
    out.record.movie_id = "tt0000002";
    out.record.title = "Never answered";
    out.input = "memory:1";
    return true;
  }
  std::uint64_t bytes_read() const override { return done_ ? 1 : 0; }
  std::uint64_t bytes_total() const override { return 1; }

 private:
  bool done_ = false;
};

}  // namespace

TEST_CASE("a reader that throws fails its run at once with the reason", "[actors][robust]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  auto started = std::chrono::steady_clock::now();
  actors::Runtime::IngestOptions options;
  options.input = "memory";
  auto summary = rt->ingest_reader("imdb", std::make_unique<ThrowingReader>(), options);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(seconds < 10);
  REQUIRE(summary);
  CHECK(summary->failed >= 1);
  CHECK_THAT(summary->error, Catch::Contains("reader bug"));
}

TEST_CASE("a source whose matcher stops fails its run at once", "[actors][robust]") {
  TempDir dir;
  auto rt = actors::Runtime::open(test_config(dir)).take();
  // A sink that takes the records and never answers, then dies. (It takes an
  // argument: CAF 0.17 spawning a function of no arguments dereferences a null
  // shared_ptr, which UBSan reports.)
  auto sink = rt->system().spawn([](caf::event_based_actor* self, int) -> caf::behavior {
    return {[=](actors::ingest_atom, actors::IngestBatch&) {
      self->delayed_send(self, std::chrono::milliseconds(200), caf::atom("die"));
      return self->make_response_promise();  // never delivered
    },
            [=](caf::atom_value) { self->quit(caf::exit_reason::user_shutdown); }};
  }, 0);
  auto deps = rt->source_deps();
  deps.sink = caf::actor_cast<actors::ingest_sink>(sink);
  actors::SourceOptions options;
  options.source_name = "imdb";
  options.item_timeout = std::chrono::seconds(3600);
  auto src = rt->system().spawn<caf::detached>(actors::source, std::make_shared<OneRecordReader>(), deps,
                                               options);
  auto started = std::chrono::steady_clock::now();
  actors::IngestSummary result;
  caf::scoped_actor self{rt->system()};
  self->request(src, caf::duration(std::chrono::seconds(60)), actors::run_atom::value)
      .receive([&](actors::IngestSummary& s) { result = std::move(s); },
               [&](caf::error& e) { FAIL("no summary: " << caf::to_string(e)); });
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(seconds < 10);
  CHECK(result.failed >= 1);
  CHECK_THAT(result.error, Catch::Contains("the matcher stopped"));
}
