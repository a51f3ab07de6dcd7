#include "sources/file_roles.hpp"

#include <filesystem>

#include <fmt/format.h>

namespace moviec::sources {

Status sort_files_by_name(const std::vector<std::string>& files, std::initializer_list<FileRole> roles,
                          const std::string& source, std::string_view what, std::string_view hint) {
  for (auto& file : files) {
    auto name = std::filesystem::path(file).filename().string();
    std::string* role = nullptr;
    for (auto& r : roles) {
      if (name.find(r.name_part) != std::string::npos) {
        role = r.path;
        break;
      }
    }
    if (!role)
      return Status::invalid(fmt::format("{}: not {} of source \"{}\" ({})", file, what, source, hint));
    if (!role->empty())
      return Status::invalid(fmt::format("{}: source \"{}\" got two files of one kind ({} and {})",
                                         file, source, *role, file));
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
      return Status::invalid(fmt::format(
          "{}: {}", file, std::filesystem::exists(file, ec) ? "not a regular file" : "no such file"));
    *role = file;
  }
  return Status::ok();
}

}  // namespace moviec::sources
