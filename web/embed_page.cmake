# Turns web/index.html into a C++ source for the binary, so `moviec serve` answers
# GET / from any working directory without the source tree (http/page.cpp).
# Run by the build (CMakeLists.txt, add_custom_command) whenever the page changes:
#   cmake -DIN=web/index.html -DOUT=build/generated/web_page.cpp -P web/embed_page.cmake
if(NOT IN OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DIN=page.html -DOUT=web_page.cpp -P embed_page.cmake")
endif()
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# Bytes as 0x.. literals, 24 to a line; a trailing 0 keeps the array non-empty.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REPEAT "0x[0-9a-f][0-9a-f]," 24 line)  # CMake regexes have no {n}
string(REGEX REPLACE "(${line})" "\\1\n    " bytes "${bytes}")
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by web/embed_page.cmake; do not edit.
#include <cstddef>

namespace moviec::http {

extern const unsigned char kWebPage[] = {
    ${bytes}0x00};
extern const std::size_t kWebPageSize = ${size};

}  // namespace moviec::http
")
file(RENAME "${OUT}.tmp" "${OUT}")
