#include "store/assets.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include <openssl/evp.h>

namespace moviec::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "/assets/";

std::string errno_text(const std::string& what, const fs::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

/// An incremental SHA-256 (EVP: the non-deprecated OpenSSL 3 API).
class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("OpenSSL: cannot start a SHA-256");
  }
  void update(const void* data, std::size_t n) { EVP_DigestUpdate(ctx_.get(), data, n); }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &n);
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (unsigned int i = 0; i < n; ++i) {
      out += digits[digest[i] >> 4];
      out += digits[digest[i] & 15];
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

/// Closes a file descriptor on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

Status write_all(int fd, const char* data, std::size_t n, const fs::path& path) {
  while (n > 0) {
    auto w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Status::io_error(errno_text("cannot write", path));
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return Status::ok();
}

Status fsync_dir(const fs::path& dir) {
  Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY));
  if (d.fd < 0 || ::fsync(d.fd) != 0) return Status::io_error(errno_text("cannot fsync", dir));
  return Status::ok();
}

std::string unique_tmp_name() {
  static std::atomic<std::uint64_t> counter{0};
  return std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".tmp";
}

/// Writes `bytes` to a new temp file in `tmp_dir`, fsyncs it and renames it to `target`
/// (then fsyncs target's directory).
Status write_durably(const fs::path& tmp_dir, const fs::path& target, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(tmp_dir, ec);
  fs::create_directories(target.parent_path(), ec);
  auto tmp = tmp_dir / unique_tmp_name();
  {
    Fd f(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (f.fd < 0) return Status::io_error(errno_text("cannot create", tmp));
    auto s = write_all(f.fd, bytes.data(), bytes.size(), tmp);
    if (s && ::fsync(f.fd) != 0) s = Status::io_error(errno_text("cannot fsync", tmp));
    if (!s) {
      fs::remove(tmp, ec);
      return s;
    }
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    auto s = Status::io_error(errno_text("cannot rename into", target));
    fs::remove(tmp, ec);
    return s;
  }
  return fsync_dir(target.parent_path());
}

/// Blobs whose hash was checked, by path: (size, mtime in ns) at the time.
struct Verified {
  std::mutex mu;
  std::map<std::string, std::pair<std::uint64_t, std::int64_t>> files;
};
Verified& verified() {
  static auto* v = new Verified;  // never destroyed: readers may run while the process exits
  return *v;
}

std::int64_t mtime_ns(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

}  // namespace

std::string asset_address(const std::string& sha256) { return std::string(kPrefix) + sha256; }

bool is_sha256_hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::optional<std::string> asset_sha_of(std::string_view address) {
  if (address.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  auto sha = address.substr(kPrefix.size());
  if (!is_sha256_hex(sha)) return std::nullopt;
  return std::string(sha);
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes.data(), bytes.size());
  return h.hex();
}

std::optional<std::string> asset_type_for_name(const std::string& file_name) {
  static const std::map<std::string, std::string> types{
      {".png", "image/png"},   {".jpg", "image/jpeg"},  {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},   {".webp", "image/webp"}, {".avif", "image/avif"},
      {".svg", "image/svg+xml"}, {".mp4", "video/mp4"}, {".m4v", "video/mp4"},
      {".webm", "video/webm"}, {".ogv", "video/ogg"},   {".mov", "video/quicktime"}};
  auto ext = fs::path(file_name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  auto it = types.find(ext);
  if (it == types.end()) return std::nullopt;
  return it->second;
}

bool is_asset_type(std::string_view content_type) {
  std::string t(content_type.substr(0, content_type.find(';')));
  t.erase(std::remove_if(t.begin(), t.end(), [](unsigned char c) { return std::isspace(c); }), t.end());
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string_view top : {"image/", "video/"})
    if (t.size() > top.size() && t.compare(0, top.size(), top) == 0 &&
        t.find('/', top.size()) == std::string::npos)
      return true;
  return false;
}

AssetBucket::AssetBucket(const fs::path& data_dir) : dir_(data_dir / "assets") {}

fs::path AssetBucket::blob_path(const std::string& sha256) const {
  return dir_ / sha256.substr(0, 2) / sha256;
}

StatusOr<AssetInfo> AssetBucket::put(std::string_view bytes, const std::string& content_type) {
  AssetInfo info;
  info.sha256 = sha256_hex(bytes);
  info.content_type = content_type;
  info.size = bytes.size();
  auto path = blob_path(info.sha256);
  if (auto existing = this->info(info.sha256); existing) {
    existing->created = false;
    return existing.take();
  }
  auto type_path = path;
  type_path += ".type";
  if (auto s = write_durably(dir_ / "tmp", type_path, content_type + "\n"); !s) return s;
  if (auto s = write_durably(dir_ / "tmp", path, bytes); !s) return s;
  info.created = true;
  return info;
}

StatusOr<AssetInfo> AssetBucket::put_file(const fs::path& path, const std::string& content_type,
                                          std::uint64_t max_bytes) {
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) return Status::not_found(errno_text("cannot open", path));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return Status::io_error(errno_text("cannot stat", path));
  if (!S_ISREG(st.st_mode)) return Status::invalid(path.string() + ": not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
    return Status::invalid(path.string() + ": " + std::to_string(st.st_size) + " bytes (at most " +
                           std::to_string(max_bytes) + ")");
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < bytes.size()) {
    auto r = ::read(f.fd, bytes.data() + got, bytes.size() - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return Status::io_error(errno_text("cannot read", path));
    got += static_cast<std::size_t>(r);
  }
  return put(bytes, content_type);
}

bool AssetBucket::contains(const std::string& sha256) const {
  if (!is_sha256_hex(sha256)) return false;
  std::error_code ec;
  return fs::is_regular_file(blob_path(sha256), ec);
}

StatusOr<AssetInfo> AssetBucket::info(const std::string& sha256) const {
  if (!is_sha256_hex(sha256)) return Status::invalid("not a SHA-256 (64 lowercase hex digits)");
  auto path = blob_path(sha256);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Status::not_found("no asset " + sha256);
  AssetInfo info;
  info.sha256 = sha256;
  info.size = static_cast<std::uint64_t>(st.st_size);
  auto type_path = path;
  type_path += ".type";
  Fd f(::open(type_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) return Status::corruption("asset " + sha256 + " has no .type file");
  char buf[256];
  auto n = ::read(f.fd, buf, sizeof buf);
  if (n <= 0) return Status::corruption("asset " + sha256 + ": unreadable .type file");
  info.content_type.assign(buf, static_cast<std::size_t>(n));
  while (!info.content_type.empty() && std::isspace(static_cast<unsigned char>(info.content_type.back())))
    info.content_type.pop_back();
  return info;
}

Status AssetBucket::check(const std::string& sha256) const {
  if (!is_sha256_hex(sha256)) return Status::invalid("not a SHA-256 (64 lowercase hex digits)");
  auto path = blob_path(sha256);
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) return Status::not_found("no asset " + sha256);
  struct stat before {};
  if (::fstat(f.fd, &before) != 0) return Status::io_error(errno_text("cannot stat", path));
  Sha256 h;
  std::array<char, 1 << 16> buf;
  for (;;) {
    auto r = ::read(f.fd, buf.data(), buf.size());
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Status::io_error(errno_text("cannot read", path));
    if (r == 0) break;
    h.update(buf.data(), static_cast<std::size_t>(r));
  }
  if (h.hex() != sha256)
    return Status::corruption("asset " + sha256 + ": its bytes no longer hash to its address");
  std::lock_guard<std::mutex> lock(verified().mu);
  verified().files[path.string()] = {static_cast<std::uint64_t>(before.st_size), mtime_ns(before)};
  return Status::ok();
}

StatusOr<std::string> AssetBucket::read(const std::string& sha256, std::uint64_t offset,
                                        std::uint64_t length) const {
  if (!is_sha256_hex(sha256)) return Status::invalid("not a SHA-256 (64 lowercase hex digits)");
  auto path = blob_path(sha256);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Status::not_found("no asset " + sha256);
  bool known_good = false;
  {
    std::lock_guard<std::mutex> lock(verified().mu);
    auto it = verified().files.find(path.string());
    known_good = it != verified().files.end() &&
                 it->second == std::make_pair(static_cast<std::uint64_t>(st.st_size), mtime_ns(st));
  }
  if (!known_good)
    if (auto s = check(sha256); !s) return s;
  auto size = static_cast<std::uint64_t>(st.st_size);
  if (offset > size) return Status::invalid("offset beyond the end of asset " + sha256);
  length = std::min(length, size - offset);
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) return Status::not_found("no asset " + sha256);
  std::string out(static_cast<std::size_t>(length), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    auto r = ::pread(f.fd, out.data() + got, out.size() - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return Status::io_error(errno_text("cannot read", path));
    got += static_cast<std::size_t>(r);
  }
  return out;
}

}  // namespace moviec::store
