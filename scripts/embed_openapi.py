#!/usr/bin/env python3
"""Turns docs/openapi.yaml into a C++ source holding it as JSON, for GET /openapi.json.

Run by the build (CMakeLists.txt) whenever the YAML changes:
    python3 scripts/embed_openapi.py docs/openapi.yaml build/generated/openapi_json.cpp
Needs PyYAML (Debian python3-yaml, installed by scripts/setup.sh). A file that is not
valid YAML, or not an OpenAPI 3.1 document, fails the build here rather than at run time.
"""
import json
import os
import sys

import yaml


def main(src: str, out: str) -> None:
    with open(src, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if not isinstance(doc, dict) or not str(doc.get("openapi", "")).startswith("3.1"):
        sys.exit(f"{src}: not an OpenAPI 3.1 document")
    # YAML reads unquoted status codes as integers; JSON object keys are strings anyway.
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    data = text.encode("utf-8")
    lines = []
    for i in range(0, len(data), 24):
        lines.append("    " + "".join(f"0x{b:02x}," for b in data[i:i + 24]))
    cpp = (
        f"// Generated from {os.path.basename(src)} by scripts/embed_openapi.py; do not edit.\n"
        "#include <cstddef>\n\n"
        "namespace moviec::http {\n\n"
        "extern const unsigned char kOpenApiJson[] = {\n"
        + "\n".join(lines)
        + "\n    0x00};\n"
        f"extern const std::size_t kOpenApiJsonSize = {len(data)};\n\n"
        "}  // namespace moviec::http\n"
    )
    tmp = out + ".tmp"
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(cpp)
    os.replace(tmp, out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: embed_openapi.py openapi.yaml out.cpp")
    main(sys.argv[1], sys.argv[2])
