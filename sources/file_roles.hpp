#pragma once
// Sorting a source's files into the parts a format reads, by their names
// (title.basics.tsv, movies.csv, ...): what the IMDb and MovieLens readers share.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace moviec::sources {

struct FileRole {
  std::string_view name_part;  // a file whose name contains this plays the role
  std::string* path;           // where its path goes
};

/// Gives each of `files` to the first role whose name_part its file name
/// contains. Fails for a file that plays no role ("FILE: not WHAT of source
/// "SOURCE" (HINT)"), for a second file of one role, and for a file that is not
/// a regular file.
Status sort_files_by_name(const std::vector<std::string>& files, std::initializer_list<FileRole> roles,
                          const std::string& source, std::string_view what, std::string_view hint);

}  // namespace moviec::sources
